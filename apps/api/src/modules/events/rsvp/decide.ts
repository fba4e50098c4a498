/**
 * The rules of RSVPs, in one pure function (no database, no clock): given an event's state and the
 * answers members sent, in arrival order, what each of them gets and which rows to write. One
 * answer (a member changing their mind) and a rush of a thousand first answers go through the
 * same rules; rsvp/repository.ts loads the state under the event's lock and writes what this says.
 *
 * - `going` while there is a seat is going; when the event is full it is the end of the waitlist.
 *   Someone already going or waitlisted who says `going` again stays where they are.
 * - Leaving `going` (for interested or declined) voids the ticket (a new code; the check-in is
 *   forgotten) and gives the seat to the head of the waitlist: exactly one person per seat freed,
 *   while the event is on and not over (seatsMove). A cancelled or past event keeps its waitlist.
 * - Every change of status is a new decision: a new place in decision order (so the waitlist is
 *   first come, first served) and a check-in forgotten.
 * - New `going` or `interested` answers are refused once RSVPs close (the deadline or the end has
 *   passed; `closed`) or the event is cancelled (`cancelled`); those going or waitlisted may stay
 *   as they are, and declining is always possible.
 */
import type { RsvpStatus } from '@opsi/contracts/events';

export type RsvpChoice = 'going' | 'interested' | 'declined';

export interface Counts {
  goingCount: number;
  waitlistCount: number;
  interestedCount: number;
}

/** A member's RSVP as it stands. */
export interface CurrentRsvp {
  status: RsvpStatus;
  listed: boolean;
  ticketCode: string;
}

export interface RsvpState {
  event: { capacity: number | null; status: string; endsAt: Date; rsvpDeadline: Date | null };
  /** The moment of the decision (ms), read by the caller. */
  now: number;
  goingCount: number;
  interestedCount: number;
  /** Who is waitlisted, first in line first. */
  waitlist: readonly string[];
  /** The RSVPs, as they stand, of the members who answer (none yet: absent). */
  rsvps: ReadonlyMap<string, CurrentRsvp>;
}

export interface RsvpAnswer {
  userId: string;
  choice: RsvpChoice;
  /** Whether others may see them in the list of those going (undefined: as it was, else yes). */
  listed: boolean | undefined;
  /** The code of a new ticket, should this answer need one (a first answer, a voided ticket). */
  newTicketCode: string;
}

export type AnswerOutcome =
  | {
      kind: 'ok';
      status: RsvpStatus;
      previous: RsvpStatus | null;
      listed: boolean;
      ticketCode: string;
      /** Place on the waitlist once decided (1 is next), when waitlisted. */
      position: number | null;
      /** The counts once decided (with any promotion it caused). */
      counts: Counts;
      /** Who this answer moved from the waitlist to going. */
      promoted: string[];
      /** Whether the status changed (a first answer always does): only then is it announced. */
      changed: boolean;
    }
  | { kind: 'cancelled' }
  | { kind: 'closed' };

/** One RSVP row to write: the last state of a member the answers touched. */
export interface RsvpWrite {
  userId: string;
  /** No row yet: insert one; otherwise update it. */
  insert: boolean;
  status: RsvpStatus;
  /** Absent for a member only promoted (it stays as it is). */
  listed?: boolean;
  /** A ticket code to store: the first one, or a new one when leaving `going` voided the old. */
  ticketCode?: string;
  /**
   * Its rank among this batch's new decisions (0 first), to be given decision-order values in that
   * order; null when the status did not change (only `listed` did).
   */
  decision: number | null;
  /** An existing row whose status changed: its check-in is forgotten. */
  forgetsCheckIn: boolean;
}

export interface RsvpDecisions {
  /** One per answer, in the same order. */
  outcomes: AnswerOutcome[];
  /** One per member whose row changes, ordered by decision (status-only changes last). */
  writes: RsvpWrite[];
  /** How many decision-order values the writes take (their `decision` ranks are 0 to this − 1). */
  decisions: number;
  /** The counts once everything is decided, to store on the event. */
  counts: Counts;
}

/** Whether a freed or added seat goes to the head of the waitlist: while the event is on and not over. */
export function seatsMove(event: { status: string }, endsAt: Date, now: number): boolean {
  return event.status === 'published' && endsAt.getTime() > now;
}

/** Whether new answers are refused for time: past the deadline or the end. */
export function rsvpsClosed(event: { endsAt: Date; rsvpDeadline: Date | null }, now: number): boolean {
  return (event.rsvpDeadline !== null && event.rsvpDeadline.getTime() < now) || event.endsAt.getTime() < now;
}

/** A member's row as the answers leave it. */
interface Row {
  stored: boolean;
  status: RsvpStatus;
  listed: boolean | undefined;
  ticketCode: string | undefined;
  newTicket: boolean;
  /** The number of its last decision in this batch, if any. */
  decision: number | null;
  statusChanged: boolean;
}

export function decideRsvps(state: RsvpState, answers: readonly RsvpAnswer[]): RsvpDecisions {
  const { event, now } = state;
  const closed = rsvpsClosed(event, now);
  const moves = seatsMove(event, event.endsAt, now);
  const waitlist = [...state.waitlist];
  let going = state.goingCount;
  let interested = state.interestedCount;
  const rows = new Map<string, Row>();
  let decisions = 0;

  const counts = (): Counts => ({ goingCount: going, waitlistCount: waitlist.length, interestedCount: interested });
  const rowOf = (userId: string): Row | undefined => {
    const known = rows.get(userId);
    if (known) return known;
    const current = state.rsvps.get(userId);
    return current && { ...current, stored: true, newTicket: false, decision: null, statusChanged: false };
  };
  /** Moves a member from one status to another in the counts and the waitlist (to its end). */
  const move = (userId: string, from: RsvpStatus | null, to: RsvpStatus) => {
    if (from === 'going') going -= 1;
    else if (from === 'interested') interested -= 1;
    else if (from === 'waitlisted') waitlist.splice(waitlist.indexOf(userId), 1);
    if (to === 'going') going += 1;
    else if (to === 'interested') interested += 1;
    else if (to === 'waitlisted') waitlist.push(userId);
  };

  const outcomes = answers.map((answer): AnswerOutcome => {
    const row = rowOf(answer.userId);
    const previous = row?.status ?? null;
    const joining = answer.choice !== 'declined';
    if (joining && event.status === 'cancelled') return { kind: 'cancelled' };
    // Closed RSVPs: no one joins, but those already in may stay as they are or leave.
    const keeps = answer.choice === 'going' && (previous === 'going' || previous === 'waitlisted');
    if (joining && closed && !keeps) return { kind: 'closed' };

    let status: RsvpStatus = answer.choice;
    if (answer.choice === 'going' && !keeps) {
      status = event.capacity === null || going < event.capacity ? 'going' : 'waitlisted';
    } else if (keeps) status = previous!;
    const listed = answer.listed ?? row?.listed ?? true;
    const changed = previous !== status;
    const leaving = previous === 'going' && status !== 'going';
    const ticketCode = !row || leaving ? answer.newTicketCode : row.ticketCode!;
    if (!row || changed || listed !== row.listed) {
      rows.set(answer.userId, {
        stored: row?.stored ?? false,
        status,
        listed,
        ticketCode,
        newTicket: (row?.newTicket ?? false) || !row || leaving,
        decision: changed ? decisions++ : (row?.decision ?? null),
        statusChanged: (row?.statusChanged ?? false) || changed,
      });
    }
    if (changed) move(answer.userId, previous, status);

    const promoted: string[] = [];
    const head = leaving && moves ? waitlist[0] : undefined;
    if (head !== undefined) {
      const before = rowOf(head);
      rows.set(head, {
        stored: before?.stored ?? true,
        status: 'going',
        listed: before?.listed,
        ticketCode: before?.ticketCode,
        newTicket: before?.newTicket ?? false,
        decision: decisions++,
        statusChanged: true,
      });
      move(head, 'waitlisted', 'going');
      promoted.push(head);
    }
    const position = status === 'waitlisted' ? waitlist.indexOf(answer.userId) + 1 : null;
    return { kind: 'ok', status, previous, listed, ticketCode, position, counts: counts(), promoted, changed };
  });

  // Ranks 0…n−1 for the decisions still standing (a member decided twice keeps the later one).
  const standing = [...rows.values()].flatMap((r) => (r.decision === null ? [] : [r.decision])).sort((a, b) => a - b);
  const rank = new Map(standing.map((decision, index) => [decision, index]));
  const writes = [...rows.entries()]
    .map(([userId, r]): RsvpWrite => ({
      userId,
      insert: !r.stored,
      status: r.status,
      ...(r.listed === undefined ? {} : { listed: r.listed }),
      ...(r.newTicket && r.ticketCode !== undefined ? { ticketCode: r.ticketCode } : {}),
      decision: r.decision === null ? null : rank.get(r.decision)!,
      forgetsCheckIn: r.stored && r.statusChanged,
    }))
    .sort((a, b) => (a.decision ?? Infinity) - (b.decision ?? Infinity));
  return { outcomes, writes, decisions: standing.length, counts: counts() };
}
