/**
 * An activity written by the same statement as the row it is about: the row's insert is a
 * data-modifying CTE, and the activity's `insert … select` reads that CTE's id. One round trip
 * for both instead of one each, with the same rules as insertActivity: checked against the
 * catalogue before anything is written, in a transaction holding the outbox writers' lock.
 */
import { sql, type AliasedRawBuilder, type RawBuilder, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../catalogue.ts';
import { rowOf, takeOutboxLock } from '../repository.ts';

type ActivityColumn =
  'verb' | 'object_type' | 'object_id' | 'actor_id' | 'countries' | 'themes' | 'public' | 'payload' | 'created_at';

export interface ActivityBesideRow {
  /** The columns of `insert into activities (…)`, */
  columns: ActivityColumn[];
  /** and the selection, in the same order, of the `select … from` the row's CTE. */
  selection: AliasedRawBuilder<unknown, string>[];
}

/** What an activity written beside its row says where the row's id goes (the statement fills it in). */
export const ROW_ID = '0';

/**
 * `activity` with its object id and its payload's `idKey` (both ROW_ID: it throws otherwise)
 * replaced by the row's `id` (SQL, e.g. `p.id` of the row's CTE `p`). Takes the outbox writers'
 * lock if the transaction has not (no round trip if it has).
 */
export async function activityBesideRow(
  trx: Transaction<Schema>,
  activity: NewActivity,
  row: { id: RawBuilder<string>; idKey: string },
): Promise<ActivityBesideRow> {
  const columns = besideRow(activity, row);
  await takeOutboxLock(trx);
  return columns;
}

/** activityBesideRow's columns and selection, for a transaction that takes the outbox writers' lock first itself. */
export function besideRow(activity: NewActivity, row: { id: RawBuilder<string>; idKey: string }): ActivityBesideRow {
  const values = rowOf(activity);
  if (activity.objectId !== ROW_ID || (activity.payload as Record<string, unknown>)[row.idKey] !== ROW_ID) {
    throw new Error(`an activity written beside its row gives ROW_ID as its objectId and payload.${row.idKey}`);
  }
  const id = sql<string>`(${row.id})::text`;
  const byColumn: Record<ActivityColumn, RawBuilder<unknown>> = {
    verb: sql`${values.verb}::text`,
    object_type: sql`${values.object_type}::text`,
    object_id: id,
    actor_id: sql`${values.actor_id}::bigint`,
    countries: sql`${values.countries}::text[]`,
    themes: sql`${values.themes}::text[]`,
    public: sql`${values.public}::boolean`,
    payload: sql`jsonb_set(${values.payload}::jsonb, ${[row.idKey]}::text[], to_jsonb(${id}))`,
    created_at: sql`${values.created_at ?? null}::timestamptz`,
  };
  const columns = (Object.keys(byColumn) as ActivityColumn[]).filter(
    (column) => column !== 'created_at' || values.created_at,
  );
  return { columns, selection: columns.map((column) => byColumn[column].as(column)) };
}
