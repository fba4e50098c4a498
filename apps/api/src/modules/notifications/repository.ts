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

/** The transaction notifications are built in (services take it without importing Kysely). */
export type NotificationTransaction = Transaction<Schema>;

/** Who one group of an activity's notifications goes to. */
export type Audience =
  /** These members (a reply's parent author, those mentioned, invited, promoted, reminded, …). */
  | { ids: (string | null | undefined)[] }
  /** Those following any of these countries, themes or cases, or the person with this handle. */
  | { followers: { countries: string[]; themes: string[]; cases: string[]; person: string | null } }
  /** Those whose RSVP to this event has one of these statuses. */
  | { eventPeople: { slug: string; statuses: string[] } }
  /** Those watching this case's thread (thread_levels). */
  | { watchers: { caseSlug: string } };

/** One kind of notification an activity causes, to one audience, all with the same payload. */
export interface NoticeGroup {
  audience: Audience;
  kind: string;
  groupKey: string;
  payload: { title: string; url: string; excerpt: string } & Record<string, unknown>;
  /** The channel of a member who chose none for this kind (defaultChannel). */
  defaultChannel: string;
  /** The module behind it sends its own email (events): no generic notification email then. */
  emailed: boolean;
  /** How many things it tells of (an import's new cases in a hub); 1 by default. Grouping adds it up. */
  count: number;
}

/**
 * What one activity causes: its groups in order of precedence (a member in several is told by the
 * first only: a reply or a mention wins over "new post in a thread you watch", which wins over
 * "new post"), never to the actor, to a member who blocked the actor, nor to one who muted
 * `mutedCase`'s thread.
 */
export interface NotificationPlan {
  activityId: string;
  actorId: string | null;
  mutedCase: string | null;
  groups: NoticeGroup[];
  /**
   * Members who start watching this case's thread (a post's author and those it mentions), in the
   * same statement as the notifications: each unless they have a level for it already (chosen, or
   * given before) or blocked the actor. Written before the next activity is planned, so its
   * watchers include them. Only with groups.
   */
  watch?: { caseSlug: string; ids: string[] };
}

export interface Written {
  id: string;
  userId: string;
  kind: string;
  channel: string;
}

/**
 * Writes the notifications `plan` returns for each activity, in order, inside the transaction of
 * the notifications cursor (platform/outbox/consumer.ts moves it past them in the same one), and
 * queues an email for those set to "email now". One statement per activity, however many members
 * it reaches. Returns what was written.
 */
export async function writeNotifications(
  trx: Transaction<Schema>,
  activities: Activity[],
  plan: (trx: Transaction<Schema>, activity: Activity) => Promise<NotificationPlan>,
): Promise<Written[]> {
  const written: Written[] = [];
  for (const activity of activities) {
    const p = await plan(trx, activity);
    if (p.groups.length) written.push(...(await writePlan(trx, p)));
  }
  return written;
}

function audienceQuery(ord: number, audience: Audience) {
  if ('ids' in audience) {
    const ids = audience.ids.filter((id): id is string => !!id);
    return sql`select ${ord}::int as ord, unnest(${ids}::bigint[]) as user_id`;
  }
  if ('followers' in audience) {
    const f = audience.followers;
    return sql`select ${ord}::int as ord, f.user_id from follows f
      where (f.target_type = 'country' and f.target_key = any(${f.countries}::text[]))
         or (f.target_type = 'theme' and f.target_key = any(${f.themes}::text[]))
         or (f.target_type = 'case' and f.target_key = any(${f.cases}::text[]))
         or (f.target_type = 'person' and f.target_key = ${f.person ?? ''})`;
  }
  if ('watchers' in audience) {
    return sql`select ${ord}::int as ord, t.user_id from thread_levels t join cases k on k.id = t.case_id
      where k.slug = ${audience.watchers.caseSlug} and t.level = 'watching'`;
  }
  const e = audience.eventPeople;
  return sql`select ${ord}::int as ord, r.user_id from rsvps r join events e on e.id = r.event_id
    where e.slug = ${e.slug} and r.status = any(${e.statuses}::text[])`;
}

/** The statement part that makes `plan.watch`'s members watch the thread (nothing without it). */
function watchQuery(plan: NotificationPlan) {
  if (!plan.watch) return sql``;
  return sql`, watched as (
      insert into thread_levels (user_id, case_id, level)
      select w.user_id, k.id, 'watching' from unnest(${plan.watch.ids}::bigint[]) as w(user_id)
      join cases k on k.slug = ${plan.watch.caseSlug}
      where not exists (select 1 from blocks b
        where b.blocker_id = w.user_id and b.blocked_id = ${plan.actorId ?? '0'}::bigint)
      on conflict (user_id, case_id) do nothing
    )`;
}

/**
 * One activity's notifications in one statement: its recipients (each member once, from the first
 * group that names them, less the actor, those who blocked the actor and those who muted the
 * thread), each one's channel from their preferences, the notifications inserted or grouped into
 * the unread one of the same group_key, the "email now" jobs, and the members who start watching
 * the thread (their rows are not seen by this statement's watchers: a new post's own author and
 * those it mentions are told otherwise, or not at all).
 */
async function writePlan(trx: Transaction<Schema>, plan: NotificationPlan): Promise<Written[]> {
  const groups = plan.groups.map(
    (g, ord) =>
      sql`(${ord}::int, ${g.kind}::text, ${g.groupKey}::text, ${JSON.stringify(g.payload)}::jsonb, ${g.count}::int,
        ${g.defaultChannel}::text, ${g.emailed}::boolean)`,
  );
  const candidates = sql.join(
    plan.groups.map((g, ord) => audienceQuery(ord, g.audience)),
    sql` union all `,
  );
  const actors = plan.actorId ? sql`array[${plan.actorId}]::bigint[]` : sql`'{}'::bigint[]`;
  const { rows } = await sql<{ id: string; user_id: string; kind: string; channel: string }>`
    with grp (ord, kind, group_key, payload, count, default_channel, emailed) as (values ${sql.join(groups)}),
    candidate as (${candidates}),
    told as (
      select distinct on (c.user_id) c.user_id, c.ord from candidate c
      where c.user_id is not null and c.user_id is distinct from ${plan.actorId}::bigint
        and not exists (select 1 from blocks b
          where b.blocker_id = c.user_id and b.blocked_id = ${plan.actorId ?? '0'}::bigint)
        and not exists (select 1 from thread_levels t join cases k on k.id = t.case_id
          where k.slug = ${plan.mutedCase ?? ''} and t.user_id = c.user_id and t.level = 'muted')
      order by c.user_id, c.ord
    ),
    routed as (
      select t.user_id, g.kind, g.group_key, g.payload, g.count
      from told t join grp g on g.ord = t.ord
      left join notification_prefs p on p.user_id = t.user_id and p.kind = g.kind
      where coalesce(p.channel, g.default_channel) <> 'off'
    ),
    written as (
      insert into notifications (user_id, kind, group_key, actor_ids, payload, activity_id, count)
      select user_id, kind, group_key, ${actors}, payload, ${plan.activityId}::bigint, count from routed
      on conflict (user_id, group_key) where read_at is null do update set
        count = notifications.count + excluded.count,
        updated_at = now(),
        activity_id = excluded.activity_id,
        payload = excluded.payload,
        actor_ids = (select coalesce(array_agg(a order by ord), '{}') from (
          select a, min(ord) as ord from unnest(excluded.actor_ids || notifications.actor_ids) with ordinality as t(a, ord)
          group by a order by min(ord) limit 5) kept)
      returning id, user_id, kind
    ),
    -- Each written notification's channel, looked up again by (member, kind) rather than joined back
    -- to the rows above (a join of two CTE scans is planned blind: a nested loop over 20,000 × 20,000).
    channelled as (
      select w.id, w.user_id, w.kind, coalesce(p.channel, g.default_channel) as channel, g.emailed
      from written w
      cross join lateral (select default_channel, emailed from grp where grp.kind = w.kind limit 1) g
      left join notification_prefs p on p.user_id = w.user_id and p.kind = w.kind
    ),
    mailed as (
      insert into jobs (kind, key, run_at, payload)
      select 'email.notification', id || ':' || ${plan.activityId}::text, now(),
        jsonb_build_object('notificationId', id::text)
      from channelled where channel = 'email' and not emailed
      on conflict (kind, key) do nothing
    )${watchQuery(plan)}
    select id, user_id, kind, channel from channelled
  `.execute(trx);
  return rows.map((r) => ({ id: String(r.id), userId: String(r.user_id), kind: r.kind, channel: r.channel }));
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
  const rows = await notificationQuery(db)
    .where(sql<boolean>`n.id = any(${ids}::bigint[])`)
    .execute();
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

/** The unread count of each of these members, in one query (0 for a member with none). */
export async function unreadCounts(db: Executor, userIds: string[]): Promise<Map<string, number>> {
  const { rows } = await sql<{ user_id: string; n: string }>`
    select user_id, count(*) as n from notifications
    where user_id = any(${userIds}::bigint[]) and read_at is null
    group by user_id
  `.execute(db);
  const counts = new Map(userIds.map((id) => [id, 0]));
  for (const r of rows) counts.set(String(r.user_id), Number(r.n));
  return counts;
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
