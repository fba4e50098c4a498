/**
 * RSVPs: members' answers and the waitlist. Every decision is taken under the event's row lock
 * (SELECT … FOR UPDATE), so `going` never exceeds capacity under any concurrency (the table's
 * CHECK is the second guard), and the waitlist is served in decided_order. The rules are
 * rsvp/decide.ts; this loads what they need and writes what they decide.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { RsvpStatus } from '@opsi/contracts/events';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivities, writerTransaction } from '../../../platform/outbox/repository.ts';
import type { NewJob } from '../../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { lockEvent, type EventRow } from '../repository.ts';
import {
  decideRsvps,
  type AnswerOutcome,
  type Counts,
  type CurrentRsvp,
  type RsvpAnswer,
  type RsvpDecisions,
  type RsvpState,
} from './decide.ts';

export type RsvpOutcome =
  | (Extract<AnswerOutcome, { kind: 'ok' }> & { event: EventRow })
  | { kind: 'missing' }
  | Exclude<AnswerOutcome, { kind: 'ok' }>;

/** What a decided answer commits with it: its activity, and any email jobs (for those promoted). */
export interface RsvpEffects {
  activity: (event: EventRow, outcome: { status: string; counts: Counts; promoted: string[] }) => NewActivity;
  jobs: (event: EventRow, promoted: string[], outcome: { status: RsvpStatus; previous: RsvpStatus | null }) => NewJob[];
}

export interface RsvpRequest {
  input: RsvpAnswer;
  effects: RsvpEffects;
}

/**
 * Decides members' answers to one event in one transaction, in the order given: one lock and one
 * commit for the lot, which is what a rush of sign-ups needs (the commit's disk flush, taken while
 * holding the event's lock, is otherwise paid once per member). The outcomes are those the same
 * answers would have had one after the other (rsvp/decide.ts), decided at `now`.
 */
export async function applyRsvps(
  db: Kysely<Schema>,
  slug: string,
  requests: RsvpRequest[],
  now: Date,
): Promise<RsvpOutcome[]> {
  return writerTransaction(db, (trx) => applyRsvpsIn(trx, { slug }, requests, now));
}

/** A transaction a caller holds (services name it without importing Kysely). */
export type RsvpTransaction = Transaction<Schema>;

/** applyRsvps inside a transaction the caller holds (a deleted account's withdrawals, one per event). */
export async function applyRsvpsIn(
  trx: Transaction<Schema>,
  which: { slug: string } | { id: string },
  requests: RsvpRequest[],
  now: Date,
): Promise<RsvpOutcome[]> {
  const event = await lockEvent(trx, which);
  if (!event) return requests.map(() => ({ kind: 'missing' }));
  const answers = requests.map((r) => r.input);
  const decided = decideRsvps(await loadState(trx, event, answers, now), answers);
  await write(trx, event.id, decided);
  const jobs: NewJob[] = [];
  const activities: NewActivity[] = [];
  decided.outcomes.forEach((o, i) => {
    if (o.kind !== 'ok' || !o.changed) return;
    const { effects } = requests[i]!;
    jobs.push(...effects.jobs(event, o.promoted, { status: o.status, previous: o.previous }));
    activities.push(effects.activity(event, { status: o.status, counts: o.counts, promoted: o.promoted }));
  });
  await enqueueJobs(trx, jobs);
  await insertActivities(trx, activities);
  return decided.outcomes.map((o) => (o.kind === 'ok' ? { ...o, event } : o));
}

/** The events a member has answered (any status), in id order (the order their locks are taken in). */
export async function answeredEvents(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('rsvps')
    .select('event_id')
    .where('user_id', '=', userId)
    .orderBy('event_id')
    .execute();
  return rows.map((r) => r.event_id);
}

/** Deletes a member's RSVP rows (after they were declined, so their seats were given on). */
export async function deleteRsvpsOf(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('rsvps').where('user_id', '=', userId).execute();
  // The tickets they checked others in with keep no trace of who did it.
  await db.updateTable('rsvps').set({ checked_in_by: null }).where('checked_in_by', '=', userId).execute();
}

/** The event's state for decideRsvps, read under its lock: counts from the rows themselves. */
async function loadState(
  trx: Transaction<Schema>,
  event: EventRow,
  answers: RsvpAnswer[],
  now: Date,
): Promise<RsvpState> {
  const counted = await trx
    .selectFrom('rsvps')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('event_id', '=', event.id)
    .where('status', 'in', ['going', 'interested'])
    .groupBy('status')
    .execute();
  const waitlist = await trx
    .selectFrom('rsvps')
    .select('user_id')
    .where('event_id', '=', event.id)
    .where('status', '=', 'waitlisted')
    .orderBy('decided_order')
    .execute();
  const current = await trx
    .selectFrom('rsvps')
    .select(['user_id', 'status', 'listed', 'ticket_code'])
    .where('event_id', '=', event.id)
    .where('user_id', 'in', [...new Set(answers.map((a) => a.userId))])
    .execute();
  const n = (status: string) => Number(counted.find((r) => r.status === status)?.n ?? 0);
  return {
    event,
    now: now.getTime(),
    goingCount: n('going'),
    interestedCount: n('interested'),
    waitlist: waitlist.map((r) => r.user_id),
    rsvps: new Map(
      current.map((r): [string, CurrentRsvp] => [
        r.user_id,
        { status: r.status as RsvpStatus, listed: r.listed, ticketCode: r.ticket_code },
      ]),
    ),
  };
}

/** Writes the decided rows (decision-order values handed out in decision order) and the counts. */
async function write(trx: Transaction<Schema>, eventId: string, decided: RsvpDecisions): Promise<void> {
  if (!decided.writes.length) return;
  const { rows: values } = decided.decisions
    ? await sql<{ v: string }>`
        select nextval('rsvp_decisions') as v from generate_series(1, ${decided.decisions}::int)
      `.execute(trx)
    : { rows: [] };
  const orders = values.map((o) => BigInt(o.v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const order = (rank: number) => orders[rank]!.toString();
  const inserts = decided.writes.filter((w) => w.insert);
  if (inserts.length) {
    await trx
      .insertInto('rsvps')
      .values(
        inserts.map((w) => ({
          event_id: eventId,
          user_id: w.userId,
          status: w.status,
          listed: w.listed ?? true,
          ticket_code: w.ticketCode!,
          decided_order: order(w.decision!),
        })),
      )
      .execute();
  }
  for (const w of decided.writes.filter((x) => !x.insert)) {
    await trx
      .updateTable('rsvps')
      .set({
        status: w.status,
        updated_at: sql<Date>`now()`,
        ...(w.listed === undefined ? {} : { listed: w.listed }),
        ...(w.ticketCode === undefined ? {} : { ticket_code: w.ticketCode }),
        ...(w.decision === null ? {} : { decided_order: order(w.decision), decided_at: sql<Date>`clock_timestamp()` }),
        ...(w.forgetsCheckIn ? { checked_in_at: null, checked_in_by: null } : {}),
      })
      .where('event_id', '=', eventId)
      .where('user_id', '=', w.userId)
      .execute();
  }
  const { counts } = decided;
  await trx
    .updateTable('events')
    .set({
      going_count: counts.goingCount,
      waitlist_count: counts.waitlistCount,
      interested_count: counts.interestedCount,
    })
    .where('id', '=', eventId)
    .execute();
}

/** Recounts the RSVPs of an event (under its lock) and stores the counts (after an edit). */
export async function recount(trx: Transaction<Schema>, eventId: string): Promise<Counts> {
  const rows = await trx
    .selectFrom('rsvps')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute();
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const counts = { goingCount: n('going'), waitlistCount: n('waitlisted'), interestedCount: n('interested') };
  await trx
    .updateTable('events')
    .set({
      going_count: counts.goingCount,
      waitlist_count: counts.waitlistCount,
      interested_count: counts.interestedCount,
    })
    .where('id', '=', eventId)
    .execute();
  return counts;
}

/** Moves the first `seats` people of the waitlist to going (seats added by an edit); returns their user ids. */
export async function promote(trx: Transaction<Schema>, eventId: string, seats: number): Promise<string[]> {
  if (seats <= 0) return [];
  const { rows } = await sql<{ user_id: string }>`
    update rsvps set status = 'going', decided_order = nextval('rsvp_decisions'),
      decided_at = clock_timestamp(), updated_at = now(), checked_in_at = null, checked_in_by = null
    where id in (
      select id from rsvps where event_id = ${eventId} and status = 'waitlisted'
      order by decided_order limit ${seats}
    )
    returning user_id
  `.execute(trx);
  return rows.map((r) => r.user_id);
}

export async function waitlistPosition(db: Executor, eventId: string, userId: string): Promise<number | null> {
  const { rows } = await sql<{ position: string | null }>`
    select (select count(*) from rsvps w where w.event_id = r.event_id and w.status = 'waitlisted'
      and w.decided_order <= r.decided_order) as position
    from rsvps r where r.event_id = ${eventId} and r.user_id = ${userId} and r.status = 'waitlisted'
  `.execute(db);
  const value = rows[0]?.position;
  return value ? Number(value) : null;
}

export interface RsvpRow {
  status: string;
  listed: boolean;
  ticketCode: string;
  checkedInAt: Date | null;
  position: number | null;
}

export async function findRsvp(db: Executor, eventId: string, userId: string): Promise<RsvpRow | undefined> {
  const row = await db
    .selectFrom('rsvps')
    .select(['status', 'listed', 'ticket_code', 'checked_in_at'])
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    status: row.status,
    listed: row.listed,
    ticketCode: row.ticket_code,
    checkedInAt: row.checked_in_at,
    position: row.status === 'waitlisted' ? await waitlistPosition(db, eventId, userId) : null,
  };
}
