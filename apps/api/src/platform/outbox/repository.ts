/**
 * The outbox: activities are written inside the transaction of the change they describe, and read
 * back in id order by whoever fans them out (realtime, stream, feed, notifications).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { Schema } from '@opsi/db/schema';

/** Serialises activity inserts until commit, so ids become visible in increasing order. */
const OUTBOX_LOCK = 7_331_002;

export interface NewActivity {
  verb: string;
  objectType: string;
  objectId: string;
  actorId: string | null;
  countries: string[];
  themes: string[];
  isPublic: boolean;
  payload: Record<string, unknown>;
  /** Only for demo data written with past dates; otherwise the commit's now(). */
  createdAt?: Date;
}

export interface ActivityRow {
  id: string;
  verb: string;
  objectType: string;
  objectId: string;
  actorId: string | null;
  countries: string[];
  themes: string[];
  isPublic: boolean;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Takes the outbox lock early, for changes whose own ids must also follow commit order (posts:
 * a client catching up "after post N" must never miss a post committed later with a smaller id).
 */
export async function lockOutbox(trx: Transaction<Schema>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK})`.execute(trx);
}

/** Must run inside the transaction of the change it describes. */
export async function insertActivity(trx: Transaction<Schema>, activity: NewActivity): Promise<string> {
  await lockOutbox(trx);
  const row = await trx
    .insertInto('activities')
    .values({
      verb: activity.verb,
      object_type: activity.objectType,
      object_id: activity.objectId,
      actor_id: activity.actorId,
      countries: activity.countries,
      themes: activity.themes,
      public: activity.isPublic,
      payload: JSON.stringify(activity.payload) as unknown as Record<string, unknown>,
      ...(activity.createdAt ? { created_at: activity.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Several activities of one transaction, in the order given, under one outbox lock. */
export async function insertActivities(trx: Transaction<Schema>, activities: NewActivity[]): Promise<void> {
  if (!activities.length) return;
  await lockOutbox(trx);
  await trx
    .insertInto('activities')
    .values(
      activities.map((activity) => ({
        verb: activity.verb,
        object_type: activity.objectType,
        object_id: activity.objectId,
        actor_id: activity.actorId,
        countries: activity.countries,
        themes: activity.themes,
        public: activity.isPublic,
        payload: JSON.stringify(activity.payload) as unknown as Record<string, unknown>,
        ...(activity.createdAt ? { created_at: activity.createdAt } : {}),
      })),
    )
    .execute();
}

export interface ActivityFilter {
  afterId: string;
  publicOnly: boolean;
  country?: string | undefined;
  theme?: string | undefined;
  limit: number;
}

/** Activities with id > afterId, oldest first. */
export async function listActivitiesAfter(db: Executor, filter: ActivityFilter): Promise<ActivityRow[]> {
  let query = db
    .selectFrom('activities')
    .select([
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
    ])
    .where('id', '>', filter.afterId)
    .orderBy('id', 'asc')
    .limit(filter.limit);
  if (filter.publicOnly) query = query.where('public', '=', true);
  if (filter.country) query = query.where(sql<boolean>`countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`themes @> array[${filter.theme}]::text[]`);
  const rows = await query.execute();
  return rows.map((r) => ({
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
  }));
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
 * handled once however many nodes try. Returns null when another node holds the cursor; otherwise
 * what `handle` returned and whether more activities may be waiting.
 */
export async function consumeActivities<T>(
  db: Kysely<Schema>,
  cursor: string,
  batch: number,
  handle: (trx: OutboxTransaction, activities: ActivityRow[]) => Promise<T>,
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
    const activities = await listActivitiesAfter(trx, { afterId: row.last_id, publicOnly: false, limit: batch });
    const result = await handle(trx, activities);
    const last = activities[activities.length - 1];
    if (last) await trx.updateTable('outbox_cursors').set({ last_id: last.id }).where('name', '=', cursor).execute();
    return { result, more: activities.length === batch };
  });
}
