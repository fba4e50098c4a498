/**
 * The outbox: activities are written inside the transaction of the change they describe, and read
 * back in id order by whoever fans them out (realtime, stream, feed, notifications).
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { Schema } from '@opsi/db/schema';
import {
  checkActivity,
  readActivities,
  throwInvalid,
  type Activity,
  type NewActivity,
  type OnInvalidActivity,
  type StoredActivity,
} from './catalogue.ts';

/** Serialises activity inserts until commit, so ids become visible in increasing order. */
const OUTBOX_LOCK = 7_331_002;

/**
 * Takes the outbox lock early, for changes whose own ids must also follow commit order (posts:
 * a client catching up "after post N" must never miss a post committed later with a smaller id).
 */
export async function lockOutbox(trx: Transaction<Schema>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK})`.execute(trx);
}

/** The row of an activity the catalogue accepts (it throws on one it refuses: nothing is written). */
function rowOf(activity: NewActivity) {
  checkActivity(activity);
  return {
    verb: activity.verb,
    object_type: activity.objectType,
    object_id: activity.objectId,
    actor_id: activity.actorId,
    countries: activity.countries,
    themes: activity.themes,
    public: activity.isPublic,
    payload: JSON.stringify(activity.payload) as unknown as Record<string, unknown>,
    ...(activity.createdAt ? { created_at: activity.createdAt } : {}),
  };
}

/** Must run inside the transaction of the change it describes. */
export async function insertActivity(trx: Transaction<Schema>, activity: NewActivity): Promise<string> {
  const values = rowOf(activity);
  await lockOutbox(trx);
  const row = await trx.insertInto('activities').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Several activities of one transaction, in the order given, under one outbox lock. */
export async function insertActivities(trx: Transaction<Schema>, activities: NewActivity[]): Promise<void> {
  if (!activities.length) return;
  const values = activities.map(rowOf);
  await lockOutbox(trx);
  await trx.insertInto('activities').values(values).execute();
}

export interface ActivityFilter {
  afterId: string;
  publicOnly: boolean;
  country?: string | undefined;
  theme?: string | undefined;
  limit: number;
}

/** One page of activities, read in id order. */
export interface ActivityPage {
  /** Those the catalogue accepts, oldest first. */
  activities: Activity[];
  /** The id of the last row read, accepted or not (where the next page starts), or null if none. */
  lastId: string | null;
  /** Whether the page was full (more may follow). */
  more: boolean;
}

/**
 * Activities with id > afterId, oldest first, checked against the catalogue: those it refuses are
 * told to `onInvalid` (which logs them) and left out, and reading goes on past them.
 */
export async function readActivitiesAfter(
  db: Executor,
  filter: ActivityFilter,
  onInvalid: OnInvalidActivity,
): Promise<ActivityPage> {
  const rows = await listStoredActivitiesAfter(db, filter);
  return {
    activities: readActivities(rows, onInvalid),
    lastId: rows[rows.length - 1]?.id ?? null,
    more: rows.length === filter.limit,
  };
}

/** Activities with id > afterId, oldest first, checked against the catalogue (one it refuses is an error). */
export async function listActivitiesAfter(db: Executor, filter: ActivityFilter): Promise<Activity[]> {
  return (await readActivitiesAfter(db, filter, throwInvalid)).activities;
}

/** The columns of a stored activity, as every reader selects them. */
export const ACTIVITY_COLUMNS = [
  'id',
  'verb',
  'object_type',
  'object_id',
  'actor_id',
  'countries',
  'themes',
  'public',
  'payload',
  'created_at',
] as const;

/** A row of those columns as the platform reads it (not checked against the catalogue yet). */
export function toStoredActivity(
  r: Omit<Selectable<Schema['activities']>, 'payload'> & { payload: unknown },
): StoredActivity {
  return {
    id: r.id,
    verb: r.verb,
    objectType: r.object_type,
    objectId: r.object_id,
    actorId: r.actor_id,
    countries: r.countries,
    themes: r.themes,
    isPublic: r.public,
    payload: r.payload,
    createdAt: r.created_at,
  };
}

/** The stored activities with id > afterId, oldest first, as they are (not checked). */
async function listStoredActivitiesAfter(db: Executor, filter: ActivityFilter): Promise<StoredActivity[]> {
  let query = db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .where('id', '>', filter.afterId)
    .orderBy('id', 'asc')
    .limit(filter.limit);
  if (filter.publicOnly) query = query.where('public', '=', true);
  if (filter.country) query = query.where(sql<boolean>`countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`themes @> array[${filter.theme}]::text[]`);
  const rows = await query.execute();
  return rows.map(toStoredActivity);
}

/**
 * Withdraws the activities about one object from public readers (the stream's replay, feeds, Atom
 * feeds read `public` ones only), or gives back those of the named verbs: for content hidden after
 * it was announced (a hidden post), in the transaction of the hide or unhide. Nothing else changes.
 */
export async function setObjectActivitiesPublic(
  db: Executor,
  object: { objectType: string; objectId: string; verbs: readonly string[] },
  isPublic: boolean,
): Promise<void> {
  if (!object.verbs.length) return;
  await db
    .updateTable('activities')
    .set({ public: isPublic })
    .where('object_type', '=', object.objectType)
    .where('object_id', '=', object.objectId)
    .where('verb', 'in', object.verbs)
    .where('public', '=', !isPublic)
    .execute();
}

export async function latestActivityId(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('activities')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return (row?.max as string | null | undefined) ?? '0';
}

/** The transaction a consumer handles its batch in (services take it without importing Kysely). */
export type OutboxTransaction = Transaction<Schema>;

/**
 * Runs `handle` over the activities after the named cursor (a row of outbox_cursors, created by a
 * migration), in id order, and moves the cursor past them, in one transaction: each activity is
 * handled once however many nodes try. Activities the catalogue refuses are told to `onInvalid`
 * and passed over. Returns null when another node holds the cursor; otherwise what `handle`
 * returned and whether more activities may be waiting.
 */
export async function consumeActivities<T>(
  db: Kysely<Schema>,
  cursor: string,
  batch: number,
  handle: (trx: OutboxTransaction, activities: Activity[]) => Promise<T>,
  onInvalid: OnInvalidActivity,
): Promise<{ result: T; more: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('outbox_cursors')
      .select('last_id')
      .where('name', '=', cursor)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    // Either another node holds it, or the row is missing (never: a migration creates it).
    if (!row) return null;
    const page = await readActivitiesAfter(trx, { afterId: row.last_id, publicOnly: false, limit: batch }, onInvalid);
    const result = await handle(trx, page.activities);
    if (page.lastId) {
      await trx.updateTable('outbox_cursors').set({ last_id: page.lastId }).where('name', '=', cursor).execute();
    }
    return { result, more: page.more };
  });
}
