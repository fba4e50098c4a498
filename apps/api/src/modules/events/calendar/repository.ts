/** Calendars: the events of a member's private feed, and the tokens of those feeds (only their hash is stored). */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { eventQuery, toEventRow, type EventRow } from '../repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The events a member is going to (or waitlisted for), for their calendar feed: those that ended within 90 days of `now`, or later. */
export async function eventsOf(db: Executor, userId: string, statuses: string[], now: Date): Promise<EventRow[]> {
  const rows = await eventQuery(db)
    .innerJoin('rsvps as r', 'r.event_id', 'e.id')
    .where('r.user_id', '=', userId)
    .where('r.status', 'in', statuses)
    .where('e.ends_at', '>', new Date(now.getTime() - 90 * DAY_MS))
    .orderBy('e.starts_at')
    .limit(500)
    .execute();
  return rows.map(toEventRow);
}

export async function setCalendarToken(db: Executor, userId: string, tokenHash: string): Promise<void> {
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, token_hash: tokenHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: sql`now()` }))
    .execute();
}

export async function deleteCalendarToken(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('calendar_tokens').where('user_id', '=', userId).execute();
}

export async function userForCalendarToken(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('calendar_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.user_id;
}

export async function hasCalendarToken(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('calendar_tokens').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}
