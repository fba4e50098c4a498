/** Who comes: the lists of attendees (for organisers, and the public one), and check-ins at the door. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewJob } from '../../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { camelRow } from '../rows.ts';
import type { PersonRow } from '../repository.ts';

/** User ids with these statuses, in decision order (for messages and notices). */
export async function attendeeIds(db: Executor, eventId: string, statuses: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('rsvps')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('status', 'in', statuses)
    .orderBy('decided_order')
    .execute();
  return rows.map((r) => r.user_id);
}

export interface AttendeeRow {
  userId: string;
  handle: string;
  displayName: string;
  email: string;
  status: string;
  listed: boolean;
  ticketCode: string;
  checkedInAt: Date | null;
  decidedAt: Date;
  createdAt: Date;
  position: number | null;
}

/** Everyone with an RSVP: going first, then the waitlist in order, then interested and declined. */
export async function listAttendees(db: Executor, eventId: string): Promise<AttendeeRow[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'r.user_id',
      'u.handle',
      'u.display_name',
      'u.email',
      'r.status',
      'r.listed',
      'r.ticket_code',
      'r.checked_in_at',
      'r.decided_at',
      'r.created_at',
      sql<string | null>`case when r.status = 'waitlisted' then row_number() over (
        partition by r.status order by r.decided_order) end`.as('position'),
    ])
    .where('r.event_id', '=', eventId)
    .orderBy(sql`case r.status when 'going' then 0 when 'waitlisted' then 1 when 'interested' then 2 else 3 end`)
    .orderBy('r.decided_order')
    .execute();
  return rows.map((r) => ({ ...camelRow(r), position: r.position === null ? null : Number(r.position) }));
}

/** Those going who chose to be listed, in decision order (what everyone may see). */
export async function listedGoing(db: Executor, eventId: string): Promise<{ handle: string; displayName: string }[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name'])
    .where('r.event_id', '=', eventId)
    .where('r.status', '=', 'going')
    .where('r.listed', '=', true)
    .orderBy('r.decided_order')
    .limit(500)
    .execute();
  return rows.map(camelRow);
}

export type CheckinOutcome =
  | { kind: 'ok'; person: PersonRow; checkedInAt: Date; already: boolean; checkedIn: number; going: number }
  | { kind: 'unknown' }
  | { kind: 'not_going'; status: string; person: PersonRow };

/** Checks a member in by ticket code or handle, once; with the counts of those checked in and going. */
export async function checkIn(
  db: Kysely<Schema>,
  eventId: string,
  who: { code: string } | { handle: string },
  organiserId: string,
): Promise<CheckinOutcome> {
  return db.transaction().execute(async (trx): Promise<CheckinOutcome> => {
    let query = trx
      .selectFrom('rsvps as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.status', 'r.checked_in_at', 'u.id as user_id', 'u.handle', 'u.display_name'])
      .where('r.event_id', '=', eventId)
      .forUpdate('r');
    query = 'code' in who ? query.where('r.ticket_code', '=', who.code) : query.where('u.handle', '=', who.handle);
    const row = await query.executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    const person = { id: row.user_id, handle: row.handle, displayName: row.display_name };
    if (row.status !== 'going') return { kind: 'not_going', status: row.status, person };
    let checkedInAt = row.checked_in_at;
    const already = checkedInAt !== null;
    if (!checkedInAt) {
      const updated = await trx
        .updateTable('rsvps')
        .set({ checked_in_at: sql<Date>`now()`, checked_in_by: organiserId })
        .where('id', '=', row.id)
        .returning('checked_in_at')
        .executeTakeFirstOrThrow();
      checkedInAt = updated.checked_in_at!;
    }
    const counts = await trx
      .selectFrom('rsvps')
      .select([
        sql<string>`count(*) filter (where checked_in_at is not null)`.as('checked'),
        sql<string>`count(*)`.as('going'),
      ])
      .where('event_id', '=', eventId)
      .where('status', '=', 'going')
      .executeTakeFirstOrThrow();
    return {
      kind: 'ok',
      person,
      checkedInAt,
      already,
      checkedIn: Number(counts.checked),
      going: Number(counts.going),
    };
  });
}

/**
 * An organiser's message: kept (so the organisers see what they sent), with one email job per
 * member going, in one transaction. Returns how many it goes to.
 */
export async function sendMessage(
  db: Kysely<Schema>,
  message: { eventId: string; senderId: string; subject: string; body: string },
  jobs: (userIds: string[]) => NewJob[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const people = await attendeeIds(trx, message.eventId, ['going']);
    await trx
      .insertInto('event_messages')
      .values({
        event_id: message.eventId,
        sender_id: message.senderId,
        subject: message.subject,
        body: message.body,
        recipients: people.length,
      })
      .execute();
    await enqueueJobs(trx, jobs(people));
    return people.length;
  });
}

export interface SentMessageRow {
  id: string;
  subject: string;
  body: string;
  recipients: number;
  createdAt: Date;
  senderHandle: string | null;
  senderName: string | null;
}

/** The messages sent to those going to an event, newest first (at most `limit`). */
export async function sentMessages(db: Executor, eventId: string, limit: number): Promise<SentMessageRow[]> {
  const rows = await db
    .selectFrom('event_messages as m')
    .leftJoin('users as u', 'u.id', 'm.sender_id')
    .select([
      'm.id',
      'm.subject',
      'm.body',
      'm.recipients',
      'm.created_at',
      'u.handle as sender_handle',
      'u.display_name as sender_name',
    ])
    .where('m.event_id', '=', eventId)
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(camelRow);
}
