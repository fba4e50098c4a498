/**
 * The outbox: activities are written inside the transaction of the change they describe, and read
 * back in id order by whoever fans them out (realtime, stream, feed, notifications).
 */
import { sql, type Compilable, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { OUTBOX_WRITERS_LOCK } from '@opsi/db/outbox-lock';
import { pipelinedTransaction, type PipelinedRows } from '@opsi/db/pipelined';
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
import { HORIZON, OLDEST } from './horizon/repository.ts';

/**
 * Where an activity sits in the outbox: the id of the transaction that wrote it, then its id. Ids
 * are handed out in insert order, not commit order, so readers go in (xid, id) order and only below
 * a horizon that no activity still to be committed is below:
 *
 * - every transaction that writes activities takes the outbox writers' lock (shared: writers never
 *   wait for one another) before it has an xid (`takeOutboxLock`, first thing), and holds it to
 *   its end; `insertActivity` refuses a transaction that did not;
 * - the horizon is the oldest xid among the transactions in flight (for the reader's snapshot)
 *   except those seen running without that lock (`pg_locks`: their transaction id lock without the
 *   advisory one), or else the snapshot's xmax. Those cannot write activities, so a long
 *   transaction that writes none (the notifier writing 20,000 notifications) holds no reader back.
 *
 * Why nothing is passed over: a row below the horizon comes from a transaction that had ended
 * before the snapshot (visible if committed), or from one in flight that was seen without the lock
 * (it writes no activity). A writer that holds the lock but has no xid yet gets one at or above
 * xmax. The lock table is read after the snapshot is taken, in one consistent view, and a writer
 * takes the outbox lock before its xid (and so before its id lock), while PostgreSQL releases a
 * transaction's id lock before its advisory locks: a writer whose id lock is seen holds the outbox
 * lock in the same view. The two are matched by the backend's pid, never by `virtualtransaction`:
 * a committing backend clears its local transaction id while it still holds its locks, and the view
 * reads it per row, so one transaction's two locks could show two (`8/89` and `8/0`), the writer
 * then taken for a bystander and its activities passed over (seen in concurrent.test). A
 * transaction in the snapshot whose id lock is not seen (just given its xid, or ending) counts, as
 * does one whose id lock has no pid (prepared). Nothing comes twice, and every reader sees the
 * same order.
 *
 * Transaction ids and pg_locks span the whole server, advisory locks are per database: a writer of
 * another database on the same server (its outbox lock taken there) is a bystander here.
 */
export interface ActivityPosition {
  xid: string;
  id: string;
}

/** Before every activity. */
const OUTBOX_START: ActivityPosition = { xid: '0', id: '0' };

/** Whether position a comes before b. */
export function isBefore(a: ActivityPosition, b: ActivityPosition): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax < bx || (ax === bx && BigInt(a.id) < BigInt(b.id));
}

/** The row of an activity the catalogue accepts (it throws on one it refuses: nothing is written). */
export function rowOf(activity: NewActivity) {
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

/** Transactions known to hold the outbox writers' lock (taken before they had an xid). */
const writers = new WeakSet<Transaction<Schema>>();

/** The statement that makes a transaction a writer of activities, with another lock of its own; its xid, if any. */
function outboxLock(also?: RawBuilder<unknown>) {
  return sql<{
    xid: string | null;
  }>`select pg_advisory_xact_lock_shared(${sql.lit(OUTBOX_WRITERS_LOCK)}::bigint), ${also ?? sql`null`},
    pg_current_xact_id_if_assigned()::text as xid`;
}

/**
 * Makes `trx` a writer of activities: takes the outbox writers' lock (shared). It must come before
 * the transaction writes anything or locks a row (either gives it an xid, which might then be below
 * a horizon a reader has passed already): call it first in a transaction that may write activities.
 * Throws (a programming error) when the transaction has an xid already and did not take it before.
 * Its statement has no parameters when `also` has none: it then goes out with the transaction's
 * `begin` in one round trip (@opsi/db/lazy-begin).
 */
export async function takeOutboxLock(
  trx: Transaction<Schema>,
  /** Another lock of the transaction's to take in the same statement (one round trip less). */
  also?: RawBuilder<unknown>,
): Promise<void> {
  if (writers.has(trx)) {
    if (also) await sql`select ${also}`.execute(trx);
    return;
  }
  const { rows } = await outboxLock(also).execute(trx);
  if (rows[0]!.xid !== null) {
    throw new Error(
      `the outbox writers' lock was taken after transaction ${rows[0]!.xid} had written: take it first (takeOutboxLock)`,
    );
  }
  writers.add(trx);
}

/**
 * Runs `work` in a new transaction that may write activities: the outbox writers' lock is its first
 * statement (what services and repositories open such transactions with).
 */
export function writerTransaction<T>(
  db: Kysely<Schema>,
  work: (trx: Transaction<Schema>) => Promise<T>,
  /** Another lock to take first, in the same statement (e.g. a thread's). */
  also?: RawBuilder<unknown>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await takeOutboxLock(trx, also);
    return work(trx);
  });
}

/**
 * A writer of activities whose statements are all built before it starts, sent in one round trip
 * (@opsi/db/pipelined): the outbox writers' lock (and `also`) first, as in writerTransaction, then
 * `statements`, then `commit`. The lock's statement is the transaction's first, so it cannot come
 * after an xid. Returns each statement's rows; throws the first failure (nothing is written).
 */
export async function pipelinedWriterTransaction(
  db: Kysely<Schema>,
  statements: Compilable[],
  also?: RawBuilder<unknown>,
): Promise<PipelinedRows> {
  // Compiled in the order they run (what plugins see).
  const lock = outboxLock(also).compile(db);
  const [, ...rows] = await pipelinedTransaction(db, [lock, ...statements.map((s) => s.compile())]);
  return rows;
}

/**
 * Must run inside the transaction of the change it describes, one that took the outbox writers'
 * lock first (takeOutboxLock; taken here when the transaction has written nothing yet).
 */
export async function insertActivity(trx: Transaction<Schema>, activity: NewActivity): Promise<string> {
  const values = rowOf(activity);
  await takeOutboxLock(trx);
  const row = await trx.insertInto('activities').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Several activities of one transaction, in the order given (the same rule as insertActivity). */
export async function insertActivities(trx: Transaction<Schema>, activities: NewActivity[]): Promise<void> {
  if (!activities.length) return;
  const values = activities.map(rowOf);
  await takeOutboxLock(trx);
  await trx.insertInto('activities').values(values).execute();
}

export interface ActivityFilter {
  /** Read what comes after this position, */
  after?: ActivityPosition;
  /** or after the activity with this id (see activityPosition). */
  afterId?: string;
  publicOnly: boolean;
  country?: string | undefined;
  theme?: string | undefined;
  limit: number;
  /** A horizon read earlier in the transaction (xid8 as text); by default this statement's. */
  horizon?: string | undefined;
}

/** One page of activities, read in id order. */
export interface ActivityPage {
  /** Those the catalogue accepts, oldest first. */
  activities: Activity[];
  /** The position of the last row read, accepted or not (where the next page starts), or null if none. */
  last: ActivityPosition | null;
  /** The id of that row, or null. */
  lastId: string | null;
  /** Whether the page was full (more may follow). */
  more: boolean;
  /**
   * Whether committed rows wait behind a writer of activities still in flight (read once it ends):
   * a reader that must hand everything out soon looks again shortly.
   */
  blocked: boolean;
}

/**
 * The settled activities after a position, in outbox order, checked against the catalogue: those it
 * refuses are told to `onInvalid` (which logs them) and left out, and reading goes on past them.
 */
export async function readActivitiesAfter(
  db: Executor,
  filter: ActivityFilter,
  onInvalid: OnInvalidActivity,
): Promise<ActivityPage> {
  const { rows, blocked } = await listStoredActivitiesAfter(db, filter);
  const lastRow = rows[rows.length - 1];
  return {
    activities: readActivities(rows, onInvalid),
    last: lastRow ? { xid: lastRow.xid, id: lastRow.id } : null,
    lastId: lastRow?.id ?? null,
    more: !blocked && rows.length === filter.limit,
    blocked,
  };
}

/** Settled activities after a position, in outbox order, checked (one the catalogue refuses is an error). */
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
  'xid',
] as const;

/** A row of those columns as the platform reads it (not checked against the catalogue yet). */
export function toStoredActivity(
  r: Omit<Selectable<Schema['activities']>, 'payload' | 'xid'> & { payload: unknown; xid?: unknown },
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
    // Readers that only show activities (a feed) need not select it.
    xid: r.xid === undefined ? '0' : String(r.xid),
  };
}

/**
 * The stored activities after a position, in outbox order, as they are (not checked), up to the
 * first one whose transaction is not settled (`blocked` then: it and what follows are read later).
 */
async function listStoredActivitiesAfter(
  db: Executor,
  filter: ActivityFilter,
): Promise<{ rows: StoredActivity[]; blocked: boolean }> {
  const after =
    filter.after ?? (filter.afterId === undefined ? OUTBOX_START : await activityPosition(db, filter.afterId));
  if (!after) return { rows: [], blocked: false };
  let query = db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .select(
      // Below the oldest transaction in flight, no need to look further (nor at the lock table).
      filter.horizon === undefined
        ? sql<boolean>`xid < ${OLDEST} or xid < ${HORIZON}`.as('settled')
        : sql<boolean>`xid < ${filter.horizon}::xid8`.as('settled'),
    )
    .where(sql<boolean>`(xid, id) > (${after.xid}::xid8, ${after.id}::bigint)`)
    .orderBy('xid', 'asc')
    .orderBy('id', 'asc')
    .limit(filter.limit);
  if (filter.publicOnly) query = query.where('public', '=', true);
  if (filter.country) query = query.where(sql<boolean>`countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`themes @> array[${filter.theme}]::text[]`);
  const rows = await query.execute();
  // In (xid, id) order every settled row comes before every unsettled one.
  const settled = rows.filter((r) => r.settled);
  return { rows: settled.map(toStoredActivity), blocked: settled.length < rows.length };
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

/**
 * Where a reader starting now begins: after every settled activity, so what any transaction in
 * flight writes is still read. (Rows committed just before with an xid at or above the horizon are
 * read too: a reader may start a little early, never late.)
 */
export async function latestActivityId(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('activities')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return (row?.max as string | null | undefined) ?? '0';
}

export async function outboxHorizon(db: Executor): Promise<ActivityPosition> {
  const { rows } = await sql<{ xid: string }>`select (${HORIZON}::text::numeric - 1)::text as xid`.execute(db);
  return { xid: rows[0]!.xid, id: '9223372036854775807' };
}

/**
 * Where a reader resumes after the activity with this id (a client's `since`). When that activity is
 * no longer stored (pruned), just before the first stored one with a greater id; null when there is
 * none (the reader starts from where it stands).
 */
export async function activityPosition(db: Executor, id: string): Promise<ActivityPosition | null> {
  const row = await db
    .selectFrom('activities')
    .select(['id', sql<string>`xid::text`.as('xid')])
    .where('id', '>=', id)
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return row.id === id ? { xid: row.xid, id } : { xid: row.xid, id: String(BigInt(row.id) - 1n) };
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
): Promise<{ result: T; more: boolean; blocked: boolean } | null> {
  return db.transaction().execute(async (trx) => {
    // The horizon before this transaction takes an xid of its own (holding the cursor does):
    // everything below it is settled, and stays so. This transaction writes no activity (it does
    // not take the writers' lock), so a long batch holds back no reader.
    const { rows: horizon } = await sql<{ xmin: string }>`select ${HORIZON}::text as xmin`.execute(trx);
    const row = await trx
      .selectFrom('outbox_cursors')
      .select(['last_id', sql<string>`last_xid::text`.as('last_xid')])
      .where('name', '=', cursor)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    // Either another node holds it, or the row is missing (never: a migration creates it).
    if (!row) return null;
    const page = await readActivitiesAfter(
      trx,
      { after: { xid: row.last_xid, id: row.last_id }, publicOnly: false, limit: batch, horizon: horizon[0]!.xmin },
      onInvalid,
    );
    const result = await handle(trx, page.activities);
    if (page.last) {
      await trx
        .updateTable('outbox_cursors')
        .set({ last_id: page.last.id, last_xid: page.last.xid })
        .where('name', '=', cursor)
        .execute();
    }
    return { result, more: page.more, blocked: page.blocked };
  });
}
