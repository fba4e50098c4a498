/**
 * What every part of the events module reads: an event (by slug or id, or locked for a change) and
 * members by id or handle. Each sub-feature keeps its own tables and queries: catalogue/ (events
 * and their cases), rsvp/ (answers and the waitlist), attendance/ (lists and check-ins),
 * invitations/ (co-organisers), calendar/ (feed tokens), notices/ (the email ledger).
 *
 * A change to an event or its RSVPs is taken under the event's row lock (SELECT … FOR UPDATE,
 * lockEvent): edits, cancellations, RSVPs and reminders are each fully before or fully after one
 * another.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { EventsTable, Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import { camelRow, type CamelRow } from './rows.ts';

export type EventRow = CamelRow<Selectable<EventsTable>>;

export function eventQuery(db: Executor) {
  return db.selectFrom('events as e').selectAll('e');
}

/**
 * Keyset paging of events on (starts_at, id), alias `e`: those after the event `afterId` in the
 * order of `upcoming` (soonest first) or past (latest first) lists.
 */
export function afterEvent(upcoming: boolean, afterId: string) {
  return upcoming
    ? sql<boolean>`(e.starts_at, e.id) > (select p.starts_at, p.id from events p where p.id = ${afterId})`
    : sql<boolean>`(e.starts_at, e.id) < (select p.starts_at, p.id from events p where p.id = ${afterId})`;
}

export function toEventRow(row: Selectable<EventsTable>): EventRow {
  return camelRow(row);
}

export async function findEvent(db: Executor, slug: string): Promise<EventRow | undefined> {
  const row = await eventQuery(db).where('e.slug', '=', slug).executeTakeFirst();
  return row && toEventRow(row);
}

export async function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  const row = await eventQuery(db).where('e.id', '=', id).executeTakeFirst();
  return row && toEventRow(row);
}

/** The event, locked until the transaction ends. */
export async function lockEvent(
  trx: Transaction<Schema>,
  by: { slug: string } | { id: string },
): Promise<EventRow | undefined> {
  const query = eventQuery(trx);
  const row = await ('slug' in by ? query.where('e.slug', '=', by.slug) : query.where('e.id', '=', by.id))
    .forUpdate()
    .executeTakeFirst();
  return row && toEventRow(row);
}

/** The id of an event (the realtime plugin's room check). */
export async function eventIdForSlug(db: Executor, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}

export interface PersonRow {
  id: string;
  handle: string;
  displayName: string;
}

export async function userById(db: Executor, id: string): Promise<PersonRow | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && camelRow(row);
}

export async function usersByHandles(db: Executor, handles: string[]): Promise<PersonRow[]> {
  if (!handles.length) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name'])
    .where('handle', 'in', handles)
    .execute();
  return rows.map(camelRow);
}
