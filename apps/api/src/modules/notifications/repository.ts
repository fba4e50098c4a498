/**
 * Notifications: written exactly once per activity by whichever node holds the notifications
 * cursor (outbox_cursors, read by platform/outbox/consumer.ts), and grouped while unread (one row
 * per member and group_key, counting).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import { defaultChannel } from '@opsi/contracts/follows';
import type { Executor } from '@opsi/db/executor';
import type { Activity } from '../../platform/outbox/catalogue.ts';
import type { NewJob } from '../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../platform/jobs/repository.ts';

/** The transaction notifications are built in (services take it without importing Kysely). */
export type NotificationTransaction = Transaction<Schema>;

export interface NewNotification {
  userId: string;
  kind: string;
  groupKey: string;
  actorId: string | null;
  activityId: string;
  payload: { title: string; url: string; excerpt: string } & Record<string, unknown>;
  /** The module behind it sends its own email (events): no generic notification email then. */
  emailed?: boolean;
  /** How many things it tells of (an import's new cases in a hub); 1 by default. Grouping adds it up. */
  count?: number;
}

export interface Written {
  id: string;
  userId: string;
  kind: string;
  channel: string;
}

/**
 * Writes the notifications `build` returns for each activity, in order, inside the transaction of
 * the notifications cursor (platform/outbox/consumer.ts moves it past them in the same one), and
 * queues an email for those set to "email now". Returns what was written.
 */
export async function writeNotifications(
  trx: Transaction<Schema>,
  activities: Activity[],
  build: (trx: Transaction<Schema>, activity: Activity) => Promise<NewNotification[]>,
): Promise<Written[]> {
  const written: Written[] = [];
  for (const activity of activities) {
    for (const n of await build(trx, activity)) {
      const channel = await channelOf(trx, n.userId, n.kind);
      if (channel === 'off') continue;
      const row = await insertGrouped(trx, n);
      written.push({ id: row, userId: n.userId, kind: n.kind, channel });
      if (channel === 'email' && !n.emailed) {
        await enqueueJobs(trx, [
          {
            kind: 'email.notification',
            key: `${row}:${n.activityId}`,
            runAt: new Date(),
            payload: { notificationId: row },
          },
        ] satisfies NewJob[]);
      }
    }
  }
  return written;
}

async function insertGrouped(trx: Transaction<Schema>, n: NewNotification): Promise<string> {
  const actors = n.actorId ? sql`array[${n.actorId}]::bigint[]` : sql`'{}'::bigint[]`;
  const { rows } = await sql<{ id: string }>`
    insert into notifications (user_id, kind, group_key, actor_ids, payload, activity_id, count)
    values (${n.userId}, ${n.kind}, ${n.groupKey}, ${actors}, ${JSON.stringify(n.payload)}::jsonb, ${n.activityId},
      ${n.count ?? 1})
    on conflict (user_id, group_key) where read_at is null do update set
      count = notifications.count + excluded.count,
      updated_at = now(),
      activity_id = excluded.activity_id,
      payload = excluded.payload,
      actor_ids = (select coalesce(array_agg(a order by ord), '{}') from (
        select a, min(ord) as ord from unnest(excluded.actor_ids || notifications.actor_ids) with ordinality as t(a, ord)
        group by a order by min(ord) limit 5) kept)
    returning id
  `.execute(trx);
  return rows[0]!.id;
}

/** How a member wants this kind: their choice, or the kind's default (defaultChannel). */
export async function channelOf(db: Executor, userId: string, kind: string): Promise<string> {
  const row = await db
    .selectFrom('notification_prefs')
    .select('channel')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.channel ?? defaultChannel(kind);
}

export async function caseTitle(db: Executor, slug: string): Promise<string> {
  const r = await db.selectFrom('cases').select('title').where('slug', '=', slug).executeTakeFirst();
  return r?.title ?? slug;
}

/**
 * The plain-text excerpt stored with the post (never its body: bodies are not processed again);
 * empty for a post deleted or hidden by a moderator, which no notification may quote. The row is
 * read FOR SHARE: a hide (or a redaction) that commits while the notifier writes waits for it and
 * then requotes what it wrote, or the notifier waits for the hide and quotes nothing.
 */
export async function postExcerpt(db: Executor, id: string): Promise<string> {
  const r = await db
    .selectFrom('posts')
    .select('excerpt')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .forShare()
    .executeTakeFirst();
  return r?.excerpt ?? '';
}

/** Replaces the excerpt of every notification about this post (made by its 'created' activity). */
export async function requotePost(db: Executor, postId: string, excerpt: string): Promise<void> {
  await sql`
    update notifications set payload = jsonb_set(payload, '{excerpt}', to_jsonb(${excerpt}::text))
    where payload ? 'excerpt' and activity_id in (
      select id from activities where object_type = 'post' and verb = 'created' and object_id = ${postId})
  `.execute(db);
}

/**
 * Members nothing from this activity may reach: those who blocked its actor, and for a post,
 * those who muted the post's case thread.
 */
export async function silencedFor(db: Executor, actorId: string | null, caseSlug: string | null): Promise<Set<string>> {
  const { rows } = await sql<{ user_id: string }>`
    select b.blocker_id as user_id from blocks b where b.blocked_id = ${actorId ?? '0'}
    union
    select t.user_id from thread_levels t join cases c on c.id = t.case_id
    where c.slug = ${caseSlug ?? ''} and t.level = 'muted'
  `.execute(db);
  return new Set(rows.map((r) => r.user_id));
}

export async function eventPeople(db: Executor, slug: string, statuses: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select('r.user_id')
    .where('e.slug', '=', slug)
    .where('r.status', 'in', statuses)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Members following any of these countries or themes, or the given person. */
export async function followersOf(
  db: Executor,
  targets: { countries: string[]; themes: string[]; cases: string[]; person: string | null },
): Promise<string[]> {
  const { rows } = await sql<{ user_id: string }>`
    select distinct f.user_id from follows f
    where (f.target_type = 'country' and f.target_key = any(${targets.countries}::text[]))
       or (f.target_type = 'theme' and f.target_key = any(${targets.themes}::text[]))
       or (f.target_type = 'case' and f.target_key = any(${targets.cases}::text[]))
       or (f.target_type = 'person' and f.target_key = ${targets.person ?? ''})
  `.execute(db);
  return rows.map((r) => r.user_id);
}

/**
 * Records that `targetId` has been told `followerId` follows them (follow_notices); false when
 * they already had been, so a follow/unfollow toggle never notifies twice.
 */
export async function firstFollowNotice(db: Executor, targetId: string, followerId: string): Promise<boolean> {
  const { rows } = await sql<{ target_id: string }>`
    insert into follow_notices (target_id, follower_id) values (${targetId}, ${followerId})
    on conflict (target_id, follower_id) do nothing
    returning target_id
  `.execute(db);
  return rows.length > 0;
}

export async function handleOf(db: Executor, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const r = await db.selectFrom('users').select('handle').where('id', '=', userId).executeTakeFirst();
  return r?.handle ?? null;
}

export async function eventCaseSlugs(db: Executor, slug: string): Promise<string[]> {
  const rows = await db
    .selectFrom('event_cases as ec')
    .innerJoin('events as e', 'e.id', 'ec.event_id')
    .innerJoin('cases as c', 'c.id', 'ec.case_id')
    .select('c.slug')
    .where('e.slug', '=', slug)
    .execute();
  return rows.map((r) => r.slug);
}

export interface NotificationRow {
  id: string;
  userId: string;
  kind: string;
  count: number;
  actorIds: string[];
  payload: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  readAt: Date | null;
  actors: { handle: string; displayName: string }[];
}

function notificationQuery(db: Executor) {
  return db.selectFrom('notifications as n').select([
    'n.id',
    'n.user_id',
    'n.kind',
    'n.count',
    'n.actor_ids',
    'n.payload',
    'n.created_at',
    'n.updated_at',
    'n.read_at',
    sql<{ handle: string; displayName: string }[]>`coalesce((select json_agg(json_build_object(
        'handle', u.handle, 'displayName', u.display_name) order by t.ord)
        from unnest(n.actor_ids) with ordinality as t(id, ord) join users u on u.id = t.id
        where t.ord <= 3), '[]'::json)`.as('actors'),
  ]);
}

type NotificationRecord = Awaited<ReturnType<ReturnType<typeof notificationQuery>['executeTakeFirstOrThrow']>>;

function toRow(r: NotificationRecord): NotificationRow {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    count: r.count,
    actorIds: r.actor_ids,
    payload: r.payload,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    readAt: r.read_at,
    actors: r.actors,
  };
}

/** Newest activity first (updated_at: a grouped notification rises when it grows). */
export async function listNotifications(
  db: Executor,
  userId: string,
  page: { unread: boolean; before?: { updatedAt: Date; id: string }; limit: number },
): Promise<NotificationRow[]> {
  let query = notificationQuery(db).where('n.user_id', '=', userId);
  if (page.unread) query = query.where('n.read_at', 'is', null);
  if (page.before) {
    query = query.where(sql<boolean>`(n.updated_at, n.id) < (${page.before.updatedAt}, ${page.before.id})`);
  }
  const rows = await query.orderBy('n.updated_at', 'desc').orderBy('n.id', 'desc').limit(page.limit).execute();
  return rows.map(toRow);
}

export async function findNotifications(db: Executor, ids: string[]): Promise<NotificationRow[]> {
  if (!ids.length) return [];
  const rows = await notificationQuery(db).where('n.id', 'in', ids).execute();
  return rows.map(toRow);
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select(sql<string>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markRead(db: Executor, userId: string, ids: string[] | 'all'): Promise<void> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  await query.execute();
}

export async function prefs(db: Executor, userId: string) {
  const [kinds, digest] = await Promise.all([
    db.selectFrom('notification_prefs').select(['kind', 'channel']).where('user_id', '=', userId).execute(),
    db.selectFrom('digest_settings').select('frequency').where('user_id', '=', userId).executeTakeFirst(),
  ]);
  return { kinds, digest: digest?.frequency ?? 'weekly' };
}

export async function setPrefs(
  db: Kysely<Schema>,
  userId: string,
  kinds: { kind: string; channel: string }[],
  digest: string | undefined,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const k of kinds) {
      await trx
        .insertInto('notification_prefs')
        .values({ user_id: userId, kind: k.kind, channel: k.channel })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ channel: k.channel }))
        .execute();
    }
    if (digest) {
      await trx
        .insertInto('digest_settings')
        .values({ user_id: userId, frequency: digest })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ frequency: digest }))
        .execute();
    }
  });
}
