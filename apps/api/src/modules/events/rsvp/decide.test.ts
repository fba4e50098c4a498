/** The rules of RSVPs on their own: no database, no clock (rsvp.test.ts runs them on PostgreSQL). */
import { describe, expect, it } from 'vitest';
import type { RsvpStatus } from '@opsi/contracts/events';
import { decideRsvps, type AnswerOutcome, type RsvpAnswer, type RsvpChoice, type RsvpState } from './decide.ts';

const NOW = Date.parse('2027-05-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

/** An event on sale: it ends in ten days, no deadline. `rsvps`: "status" or [status, listed]. */
function state(
  over: Partial<Omit<RsvpState, 'rsvps' | 'event'>> & {
    capacity?: number | null;
    status?: string;
    endsAt?: number;
    rsvpDeadline?: number | null;
    rsvps?: Record<string, RsvpStatus | [RsvpStatus, boolean]>;
  } = {},
): RsvpState {
  const rsvps = Object.entries(over.rsvps ?? {}).map(([userId, value]) => {
    const [status, listed] = Array.isArray(value) ? value : [value, true];
    return [userId, { status, listed, ticketCode: `OLD-${userId}` }] as const;
  });
  const going = rsvps.filter(([, r]) => r.status === 'going').length;
  const interested = rsvps.filter(([, r]) => r.status === 'interested').length;
  return {
    event: {
      capacity: over.capacity === undefined ? 2 : over.capacity,
      status: over.status ?? 'published',
      endsAt: new Date(over.endsAt ?? NOW + 10 * DAY),
      rsvpDeadline: over.rsvpDeadline == null ? null : new Date(over.rsvpDeadline),
    },
    now: NOW,
    goingCount: over.goingCount ?? going,
    interestedCount: over.interestedCount ?? interested,
    waitlist: over.waitlist ?? rsvps.filter(([, r]) => r.status === 'waitlisted').map(([id]) => id),
    rsvps: new Map(rsvps),
  };
}

let codes = 0;
/** "ann:going", "bob:declined:unlisted": answers in arrival order, each with a fresh ticket code. */
function answers(...specs: string[]): RsvpAnswer[] {
  return specs.map((spec) => {
    const [userId, choice, listed] = spec.split(':') as [string, RsvpChoice, string | undefined];
    codes += 1;
    return {
      userId,
      choice,
      listed: listed === undefined ? undefined : listed === 'listed',
      newTicketCode: `NEW${codes}`,
    };
  });
}

/** An outcome in short: "going", "waitlisted #2", "declined (promoted wes)", "closed". */
function short(o: AnswerOutcome): string {
  if (o.kind !== 'ok') return o.kind;
  const position = o.position === null ? '' : ` #${o.position}`;
  const promoted = o.promoted.length ? ` (promoted ${o.promoted.join(', ')})` : '';
  return `${o.status}${position}${promoted}`;
}

describe('decideRsvps: one answer or a batch, the same rules', () => {
  it.each([
    // [case, state, answers, outcomes, final counts going/waitlist/interested]
    ['a seat left: going', state({ rsvps: { gil: 'going' } }), ['ann:going'], ['going'], [2, 0, 0]],
    [
      'full: the end of the waitlist',
      state({ rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } }),
      ['ann:going'],
      ['waitlisted #2'],
      [2, 2, 0],
    ],
    ['capacity 0: straight to the waitlist', state({ capacity: 0 }), ['ann:going'], ['waitlisted #1'], [0, 1, 0]],
    [
      'no capacity: everyone goes',
      state({ capacity: null, goingCount: 5000 }),
      ['ann:going', 'bob:going'],
      ['going', 'going'],
      [5002, 0, 0],
    ],
    [
      'the last seat to the first to arrive',
      state({ capacity: 3, rsvps: { gil: 'going', gus: 'going' } }),
      ['ann:going', 'bob:going', 'cat:going'],
      ['going', 'waitlisted #1', 'waitlisted #2'],
      [3, 2, 0],
    ],
    [
      'interested and declined take no seat',
      state({ capacity: 1 }),
      ['ann:interested', 'bob:declined', 'cat:going'],
      ['interested', 'declined', 'going'],
      [1, 0, 1],
    ],
  ])('capacity: %s', (_, s, sent, outcomes, [going, waitlist, interested]) => {
    const decided = decideRsvps(s, answers(...sent));
    expect(decided.outcomes.map(short)).toEqual(outcomes);
    expect(decided.counts).toEqual({ goingCount: going, waitlistCount: waitlist, interestedCount: interested });
  });

  it('a storm of first answers: capacity going, the rest waitlisted in arrival order, one write each', () => {
    const sent = Array.from({ length: 1000 }, (_, i) => `m${i}:going`);
    const decided = decideRsvps(state({ capacity: 100 }), answers(...sent));
    expect(decided.outcomes.filter((o) => o.kind === 'ok' && o.status === 'going')).toHaveLength(100);
    expect(decided.outcomes.slice(100).map((o) => (o.kind === 'ok' ? o.position : null))).toEqual(
      Array.from({ length: 900 }, (_, i) => i + 1),
    );
    expect(decided.writes).toHaveLength(1000);
    expect(decided.writes.every((w, i) => w.insert && w.decision === i && w.userId === `m${i}`)).toBe(true);
    expect(decided.decisions).toBe(1000);
    expect(decided.counts).toEqual({ goingCount: 100, waitlistCount: 900, interestedCount: 0 });
  });

  it.each([
    ['declined', 'declined'],
    ['interested', 'interested'],
  ] as const)('leaving going for %s promotes exactly one, the head of the waitlist', (choice, status) => {
    const s = state({ rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted', wil: 'waitlisted', wyn: 'waitlisted' } });
    const decided = decideRsvps(s, answers(`gil:${choice}`, `gus:${choice}`));
    expect(decided.outcomes.map(short)).toEqual([`${status} (promoted wes)`, `${status} (promoted wil)`]);
    expect(decided.counts).toMatchObject({ goingCount: 2, waitlistCount: 1 });
    // Decision order: each answer, then the promotion it caused.
    expect(decided.writes.map((w) => [w.userId, w.status, w.decision])).toEqual([
      ['gil', status, 0],
      ['wes', 'going', 1],
      ['gus', status, 2],
      ['wil', 'going', 3],
    ]);
    // The promoted keep their ticket (no new code) and their choice to be listed; their row's
    // check-in, if any, is forgotten like every change of status.
    expect(decided.writes[1]).toEqual({
      userId: 'wes',
      insert: false,
      status: 'going',
      listed: true,
      decision: 1,
      forgetsCheckIn: true,
    });
  });

  it('promotes someone it knows only by their place in line: their row is left as it is but for the seat', () => {
    const decided = decideRsvps(
      state({ rsvps: { gil: 'going', gus: 'going' }, waitlist: ['wes'] }),
      answers('gil:declined'),
    );
    expect(decided.writes).toEqual([
      {
        userId: 'gil',
        insert: false,
        status: 'declined',
        listed: true,
        ticketCode: expect.any(String),
        decision: 0,
        forgetsCheckIn: true,
      },
      { userId: 'wes', insert: false, status: 'going', decision: 1, forgetsCheckIn: true },
    ]);
  });

  it('a decline with nobody waiting promotes nobody', () => {
    const decided = decideRsvps(state({ rsvps: { gil: 'going' } }), answers('gil:declined'));
    expect(decided.outcomes.map(short)).toEqual(['declined']);
    expect(decided.counts.goingCount).toBe(0);
  });

  it.each([
    ['cancelled', state({ status: 'cancelled', rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } })],
    ['past', state({ endsAt: NOW - DAY, rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } })],
    ['just ended', state({ endsAt: NOW, rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } })],
  ])('a %s event: declines promote nobody, the waitlist stays as it was', (_, s) => {
    const decided = decideRsvps(s, answers('gil:declined', 'gus:declined'));
    expect(decided.outcomes.map(short)).toEqual(['declined', 'declined']);
    expect(decided.counts).toEqual({ goingCount: 0, waitlistCount: 1, interestedCount: 0 });
    expect(decided.writes.map((w) => w.userId)).toEqual(['gil', 'gus']);
    expect(decided.writes.every((w) => w.forgetsCheckIn && w.ticketCode?.startsWith('NEW'))).toBe(true);
  });

  it.each([
    // [case, state, answers, outcomes]
    [
      'cancelled: nobody joins, anyone may decline',
      state({ status: 'cancelled', rsvps: { gil: 'going' } }),
      ['ann:going', 'bob:interested', 'gil:going', 'cat:declined'],
      ['cancelled', 'cancelled', 'cancelled', 'declined'],
    ],
    [
      'over: nobody new, those in stay',
      state({ endsAt: NOW - DAY, rsvps: { gil: 'going', wes: 'waitlisted', ivy: 'interested' } }),
      ['ann:going', 'gil:going', 'wes:going', 'ivy:interested', 'ivy:going'],
      ['closed', 'going', 'waitlisted #1', 'closed', 'closed'],
    ],
    [
      'past the deadline: closed to newcomers',
      state({ rsvpDeadline: NOW - 1, rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } }),
      ['ann:going', 'ann:interested', 'wes:going'],
      ['closed', 'closed', 'waitlisted #1'],
    ],
    ['at the deadline itself: still open', state({ rsvpDeadline: NOW }), ['ann:going'], ['going']],
  ])('closed RSVPs: %s', (_, s, sent, outcomes) => {
    expect(decideRsvps(s, answers(...sent)).outcomes.map(short)).toEqual(outcomes);
  });

  it('past the deadline but not over: a seat freed still goes to the waitlist', () => {
    const s = state({ rsvpDeadline: NOW - DAY, rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted' } });
    expect(decideRsvps(s, answers('gil:declined')).outcomes.map(short)).toEqual(['declined (promoted wes)']);
  });

  it('a member answering twice in one batch: decided in turn, one row written with the last', () => {
    const decided = decideRsvps(state({ capacity: 1 }), answers('ann:going', 'bob:going', 'ann:declined', 'ann:going'));
    expect(decided.outcomes.map(short)).toEqual(['going', 'waitlisted #1', 'declined (promoted bob)', 'waitlisted #1']);
    // One row each, inserted as the batch left it: bob (promoted) first in decision order, then
    // ann, with the ticket of the answer that left `going` (the first one was voided).
    const [first, , leaving] = decided.outcomes as { ticketCode: string }[];
    expect(decided.writes).toEqual([
      {
        userId: 'bob',
        insert: true,
        status: 'going',
        listed: true,
        ticketCode: expect.any(String),
        decision: 0,
        forgetsCheckIn: false,
      },
      {
        userId: 'ann',
        insert: true,
        status: 'waitlisted',
        listed: true,
        ticketCode: leaving!.ticketCode,
        decision: 1,
        forgetsCheckIn: false,
      },
    ]);
    expect(leaving!.ticketCode).not.toBe(first!.ticketCode);
    expect(decided.decisions).toBe(2);
    expect(decided.counts).toEqual({ goingCount: 1, waitlistCount: 1, interestedCount: 0 });
  });

  it('saying going again keeps a seat or a place in line, and writes nothing', () => {
    const s = state({ rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted', wil: 'waitlisted' } });
    const decided = decideRsvps(s, answers('gil:going', 'wil:going'));
    expect(decided.outcomes.map(short)).toEqual(['going', 'waitlisted #2']);
    expect(decided.outcomes.every((o) => o.kind === 'ok' && !o.changed && o.ticketCode.startsWith('OLD'))).toBe(true);
    expect(decided.writes).toEqual([]);
    expect(decided.decisions).toBe(0);
  });

  it('a place in line moves up as those ahead are promoted or leave', () => {
    const s = state({ rsvps: { gil: 'going', gus: 'going', wes: 'waitlisted', wil: 'waitlisted', wyn: 'waitlisted' } });
    const decided = decideRsvps(s, answers('wyn:going', 'gil:declined', 'wyn:going', 'wil:declined', 'wyn:going'));
    expect(decided.outcomes.map(short)).toEqual([
      'waitlisted #3',
      'declined (promoted wes)',
      'waitlisted #2',
      'declined',
      'waitlisted #1',
    ]);
  });

  it('interested → going takes a seat if there is one, else the end of the waitlist', () => {
    const open = decideRsvps(state({ rsvps: { gil: 'going', ivy: 'interested' } }), answers('ivy:going'));
    expect(open.outcomes.map(short)).toEqual(['going']);
    expect(open.counts).toEqual({ goingCount: 2, waitlistCount: 0, interestedCount: 0 });
    expect(open.writes).toEqual([
      { userId: 'ivy', insert: false, status: 'going', listed: true, decision: 0, forgetsCheckIn: true },
    ]);
    const full = decideRsvps(state({ rsvps: { gil: 'going', gus: 'going', ivy: 'interested' } }), answers('ivy:going'));
    expect(full.outcomes.map(short)).toEqual(['waitlisted #1']);
    expect(full.counts).toEqual({ goingCount: 2, waitlistCount: 1, interestedCount: 0 });
  });

  it('going → declined forgets the check-in and renews the ticket; the old code admits no one', () => {
    const decided = decideRsvps(state({ rsvps: { gil: 'going' } }), answers('gil:declined', 'gil:going'));
    const [left, back] = decided.outcomes;
    expect(left).toMatchObject({ kind: 'ok', status: 'declined', previous: 'going', changed: true });
    expect(back).toMatchObject({ kind: 'ok', status: 'going', previous: 'declined', changed: true });
    const renewed = (left as { ticketCode: string }).ticketCode;
    expect(renewed).not.toBe('OLD-gil');
    // Back in, with the new ticket (not the voided one), unchecked.
    expect((back as { ticketCode: string }).ticketCode).toBe(renewed);
    expect(decided.writes).toEqual([
      {
        userId: 'gil',
        insert: false,
        status: 'going',
        listed: true,
        ticketCode: renewed,
        decision: 0,
        forgetsCheckIn: true,
      },
    ]);
  });

  it('a change of listing alone is written without a new decision, and not announced', () => {
    const decided = decideRsvps(state({ rsvps: { gil: 'going' } }), answers('gil:going:unlisted', 'ann:going'));
    expect(decided.outcomes[0]).toMatchObject({ kind: 'ok', status: 'going', listed: false, changed: false });
    expect(decided.outcomes[1]).toMatchObject({ kind: 'ok', listed: true, changed: true });
    expect(decided.writes).toEqual([
      {
        userId: 'ann',
        insert: true,
        status: 'going',
        listed: true,
        ticketCode: expect.stringMatching(/^NEW/),
        decision: 0,
        forgetsCheckIn: false,
      },
      { userId: 'gil', insert: false, status: 'going', listed: false, decision: null, forgetsCheckIn: false },
    ]);
  });

  it('keeps a member’s listing unless the answer says otherwise', () => {
    const decided = decideRsvps(state({ rsvps: { gil: ['going', false] } }), answers('gil:interested'));
    expect(decided.outcomes[0]).toMatchObject({ status: 'interested', listed: false });
  });

  it('counts each outcome as it stood once decided', () => {
    const s = state({ capacity: 1, rsvps: { gil: 'going', wes: 'waitlisted' } });
    const decided = decideRsvps(s, answers('ann:interested', 'gil:declined', 'bob:going'));
    expect(decided.outcomes.map((o) => (o.kind === 'ok' ? o.counts : null))).toEqual([
      { goingCount: 1, waitlistCount: 1, interestedCount: 1 },
      { goingCount: 1, waitlistCount: 0, interestedCount: 1 },
      { goingCount: 1, waitlistCount: 1, interestedCount: 1 },
    ]);
  });
});
