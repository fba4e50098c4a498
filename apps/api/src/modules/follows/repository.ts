/**
 * Follows. Following is one row per (member, target): inserts race safely with ON CONFLICT DO
 * NOTHING, and only the insert that created the row counts and notifies. The feed's own query is
 * in feed/repository.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity, StoredActivity } from '../../platform/outbox/catalogue.ts';
import {
  ACTIVITY_COLUMNS,
  insertActivity,
  toStoredActivity,
  writerTransaction,
} from '../../platform/outbox/repository.ts';
import { FEED_VERBS } from './feed/repository.ts';

export type TargetType = 'country' | 'theme' | 'case' | 'event' | 'person';

export interface Target {
  type: TargetType;
  key: string;
  label: string;
  /** person: the user id; others: null. */
  userId: string | null;
}

/** The target if it exists, with its label (names in English and French come from reference data). */
export async function findTarget(db: Executor, type: TargetType, key: string): Promise<Target | undefined> {
  switch (type) {
    case 'country': {
      const r = await db.selectFrom('countries').select(['code', 'name']).where('code', '=', key).executeTakeFirst();
      return r && { type, key: r.code, label: r.name, userId: null };
    }
    case 'theme': {
      const r = await db.selectFrom('themes').select(['slug', 'name']).where('slug', '=', key).executeTakeFirst();
      return r && { type, key: r.slug, label: r.name, userId: null };
    }
    case 'case': {
      const r = await db.selectFrom('cases').select(['slug', 'title']).where('slug', '=', key).executeTakeFirst();
      return r && { type, key: r.slug, label: r.title, userId: null };
    }
    case 'event': {
      const r = await db.selectFrom('events').select(['slug', 'title']).where('slug', '=', key).executeTakeFirst();
      return r && { type, key: r.slug, label: r.title, userId: null };
    }
    case 'person': {
      const r = await db
        .selectFrom('users')
        .select(['id', 'handle', 'display_name'])
        .where('handle', '=', key)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return r && { type, key: r.handle, label: r.display_name, userId: r.id };
    }
  }
}

async function bumpCount(db: Executor, target: Target, delta: 1 | -1) {
  if (target.type === 'case') {
    await db
      .updateTable('cases')
      .set((eb) => ({ follower_count: sql<number>`greatest(${eb.ref('follower_count')} + ${delta}, 0)` }))
      .where('slug', '=', target.key)
      .execute();
  } else if (target.type === 'person') {
    await db
      .updateTable('users')
      .set((eb) => ({ follower_count: sql<number>`greatest(${eb.ref('follower_count')} + ${delta}, 0)` }))
      .where('handle', '=', target.key)
      .execute();
  }
}

/**
 * Follows in the caller's transaction, without an activity (a follow that comes with something
 * else, as an approved proposal's proposer following its case); true when it created the row.
 */
export async function followQuietly(db: Executor, userId: string, target: Target): Promise<boolean> {
  const inserted = await db
    .insertInto('follows')
    .values({ user_id: userId, target_type: target.type, target_key: target.key })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (inserted) await bumpCount(db, target, 1);
  return Boolean(inserted);
}

/** Follows; true when this call created the row (then the count and the activity follow). */
export async function follow(
  db: Kysely<Schema>,
  userId: string,
  target: Target,
  activity: NewActivity,
): Promise<boolean> {
  return writerTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('follows')
      .values({ user_id: userId, target_type: target.type, target_key: target.key })
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await bumpCount(trx, target, 1);
    await insertActivity(trx, activity);
    return true;
  });
}

export async function unfollow(db: Kysely<Schema>, userId: string, target: Target): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('follows')
      .where('user_id', '=', userId)
      .where('target_type', '=', target.type)
      .where('target_key', '=', target.key)
      .executeTakeFirst();
    if (!deleted.numDeletedRows) return false;
    await bumpCount(trx, target, -1);
    return true;
  });
}

/** Follows of a target under its new key (a case renamed), in the caller's transaction. */
export async function renameTarget(db: Executor, type: TargetType, from: string, to: string): Promise<void> {
  await db
    .updateTable('follows')
    .set({ target_key: to })
    .where('target_type', '=', type)
    .where('target_key', '=', from)
    .execute();
}

export async function followerCount(db: Executor, type: TargetType, key: string): Promise<number> {
  const r = await db
    .selectFrom('follows')
    .select(sql<string>`count(*)`.as('n'))
    .where('target_type', '=', type)
    .where('target_key', '=', key)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function isFollowing(db: Executor, userId: string, type: TargetType, key: string): Promise<boolean> {
  const r = await db
    .selectFrom('follows')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('target_type', '=', type)
    .where('target_key', '=', key)
    .executeTakeFirst();
  return r !== undefined;
}

export interface FollowRow {
  type: TargetType;
  key: string;
  label: string;
  followedAt: Date;
}

/** A member's follows with labels, newest first. */
export async function listFollows(db: Executor, userId: string): Promise<FollowRow[]> {
  const { rows } = await sql<{ type: TargetType; key: string; label: string | null; created_at: Date }>`
    select f.target_type as type, f.target_key as key, f.created_at,
      coalesce(co.name, th.name, ca.title, ev.title, us.display_name) as label
    from follows f
    left join countries co on f.target_type = 'country' and co.code = f.target_key
    left join themes th on f.target_type = 'theme' and th.slug = f.target_key
    left join cases ca on f.target_type = 'case' and ca.slug = f.target_key
    left join events ev on f.target_type = 'event' and ev.slug = f.target_key
    left join users us on f.target_type = 'person' and us.handle = f.target_key
    where f.user_id = ${userId}
    order by f.created_at desc, f.target_type, f.target_key
  `.execute(db);
  return rows.map((r) => ({ type: r.type, key: r.key, label: r.label ?? r.key, followedAt: r.created_at }));
}

export interface Labels {
  users: Map<string, { handle: string; displayName: string }>;
  cases: Map<string, string>;
  events: Map<string, string>;
  posts: Map<string, string>;
}

/**
 * Names for a page of activities: actors, case and event titles, post excerpts (one statement);
 * no excerpt for a post deleted or hidden since (the feed and Atom entry about it are left out).
 */
export async function labelsFor(
  db: Executor,
  ids: { users: string[]; cases: string[]; events: string[]; posts: string[] },
): Promise<Labels> {
  type Pairs = [string, string, string?][];
  const { rows } = await sql<{ users: Pairs; cases: Pairs; events: Pairs; posts: Pairs }>`
    select
      (select coalesce(json_agg(json_build_array(id::text, handle, display_name)), '[]')
        from users where id = any(${ids.users}::bigint[])) as users,
      (select coalesce(json_agg(json_build_array(slug, title)), '[]')
        from cases where slug = any(${ids.cases}::text[])) as cases,
      (select coalesce(json_agg(json_build_array(slug, title)), '[]')
        from events where slug = any(${ids.events}::text[])) as events,
      (select coalesce(json_agg(json_build_array(id::text, excerpt)), '[]')
        from posts where id = any(${ids.posts}::bigint[]) and deleted_at is null and hidden_at is null) as posts
  `.execute(db);
  const { users, cases, events, posts } = rows[0]!;
  return {
    users: new Map(users.map(([id, handle, displayName]) => [id, { handle, displayName: displayName! }])),
    cases: new Map(cases.map(([slug, title]) => [slug, title])),
    events: new Map(events.map(([slug, title]) => [slug, title])),
    posts: new Map(posts.map(([id, excerpt]) => [id, excerpt])),
  };
}

/** The latest public "created" activities in a country or theme (Atom feeds), newest first, as stored. */
export async function publicActivity(
  db: Executor,
  filter: { country?: string; theme?: string },
  limit: number,
): Promise<StoredActivity[]> {
  let query = db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .where('public', '=', true)
    .where('verb', 'in', FEED_VERBS)
    .where('object_type', 'in', ['case', 'post', 'event', 'country', 'theme']);
  if (filter.country) query = query.where(sql<boolean>`countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`themes @> array[${filter.theme}]::text[]`);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toStoredActivity);
}

/** Whether `blockerId` blocked `userId` (a blocked member cannot follow the one who blocked them). */
export async function isBlockedBy(db: Executor, userId: string, blockerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blocked_id')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
