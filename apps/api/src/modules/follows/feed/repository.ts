/**
 * The personal feed: fan-out on read from the activities table, as a UNION of index scans, one
 * per kind of follow (and per followed case, event and person), each newest first and stopped
 * after one page, merged by id. Whatever a member follows, the work is bounded by the page size
 * times their follows, not by the size of the activity stream.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { StoredActivity, Verb } from '../../../platform/outbox/catalogue.ts';
import { toStoredActivity } from '../../../platform/outbox/repository.ts';

/**
 * Verbs that make a feed: new cases, posts and events, events cancelled, and an import's new
 * cases (one per country and theme).
 */
export const FEED_VERBS: Verb[] = ['created', 'cancelled', 'imported'];

/** What a member follows, by kind (each with its label; people by user id: a handle no member has is left out), and whom they blocked. */
export interface FollowSets {
  countries: Map<string, string>;
  themes: Map<string, string>;
  cases: Map<string, string>;
  events: Map<string, string>;
  people: Map<string, { handle: string; label: string }>;
  blocked: string[];
}

/** A member's follow sets and blocks, in one statement. */
export async function followSets(db: Executor, userId: string): Promise<FollowSets> {
  const { rows } = await sql<{ type: string; key: string | null; label: string | null; user_id: string | null }>`
    select f.target_type as type, f.target_key as key,
      coalesce(co.name, th.name, ca.title, ev.title, us.display_name) as label, us.id as user_id
    from follows f
    left join countries co on f.target_type = 'country' and co.code = f.target_key
    left join themes th on f.target_type = 'theme' and th.slug = f.target_key
    left join cases ca on f.target_type = 'case' and ca.slug = f.target_key
    left join events ev on f.target_type = 'event' and ev.slug = f.target_key
    left join users us on f.target_type = 'person' and us.handle = f.target_key
    where f.user_id = ${userId}
    union all
    select 'blocked', null, null, b.blocked_id from blocks b where b.blocker_id = ${userId}
  `.execute(db);
  const of = (type: string) =>
    new Map(rows.flatMap((r) => (r.type === type && r.key !== null ? [[r.key, r.label ?? r.key] as const] : [])));
  return {
    countries: of('country'),
    themes: of('theme'),
    cases: of('case'),
    events: of('event'),
    people: new Map(
      rows.flatMap((r) =>
        r.type === 'person' && r.user_id !== null && r.key !== null
          ? [[r.user_id, { handle: r.key, label: r.label ?? r.key }] as const]
          : [],
      ),
    ),
    blocked: rows.flatMap((r) => (r.type === 'blocked' && r.user_id !== null ? [r.user_id] : [])),
  };
}

type Branch = RawBuilder<unknown>;

/**
 * Public activity matching what the member follows, newest first, before `beforeId`, as stored
 * (the service checks it against the catalogue). Their own actions, and those of members they
 * blocked (nor in the digest, which reads this feed), are left out.
 *
 * Two statements: the member's follows and blocks (unless given), then one query made of branches that each read
 * one index newest first and stop after `limit` rows passing every filter, so the page is the
 * newest `limit` of their union:
 *  - countries and themes together: the followed values are parameters, so the planner sees them
 *    and either walks the public activities newest first (common values: a few rows fill a page)
 *    or unions the GIN entries of rare ones and sorts those few;
 *  - each followed case's and event's own activities, each followed person's: one LATERAL
 *    index-only scan per key (activities_feed_object_idx, activities_feed_actor_idx);
 *  - each followed case's posts (activities_case_idx), last, and only as far back as the page the
 *    other branches already fill (`floor`): nothing older than their `limit`-th newest can be on it.
 * A branch is left out when its kind of follow is empty (an empty `&&` would walk everything).
 */
export async function feed(
  db: Executor,
  userId: string,
  page: { beforeId?: string; limit: number },
  /** The member's follow sets when the caller has read them already. */
  sets?: FollowSets,
): Promise<StoredActivity[]> {
  const follows = sets ?? (await followSets(db, userId));
  const wanted = {
    countries: [...follows.countries.keys()],
    themes: [...follows.themes.keys()],
    cases: [...follows.cases.keys()],
    events: [...follows.events.keys()],
    people: [...follows.people.keys()],
    blocked: follows.blocked,
  };
  const { limit } = page;
  const filters = sql`
    a.public
    and a.verb in (${sql.join(FEED_VERBS.map((verb) => sql.lit(verb)))})
    and a.actor_id is distinct from ${userId}
    ${wanted.blocked.length ? sql`and (a.actor_id = any(${sql.val(wanted.blocked)}::bigint[])) is not true` : sql``}
    ${page.beforeId ? sql`and a.id < ${page.beforeId}` : sql``}
  `;
  const hubs: Branch[] = [];
  if (wanted.countries.length) hubs.push(sql`a.countries && ${sql.val(wanted.countries)}::text[]`);
  if (wanted.themes.length) hubs.push(sql`a.themes && ${sql.val(wanted.themes)}::text[]`);
  const objects = [
    ...wanted.cases.map((key) => ['case', key] as const),
    ...wanted.events.map((key) => ['event', key] as const),
  ];
  const first: Branch[] = [];
  if (hubs.length) {
    first.push(sql`(
      select a.id from activities a
      where (${sql.join(hubs, sql` or `)}) and ${filters}
      order by a.id desc limit ${limit}
    )`);
  }
  if (objects.length) {
    first.push(sql`(
      select x.id
      from unnest(${sql.val(objects.map((o) => o[0]))}::text[], ${sql.val(objects.map((o) => o[1]))}::text[])
        as k(object_type, object_id)
      cross join lateral (
        select a.id from activities a
        where a.object_type = k.object_type and a.object_id = k.object_id and ${filters}
        order by a.id desc limit ${limit}
      ) x
    )`);
  }
  if (wanted.people.length) {
    first.push(sql`(
      select x.id from unnest(${sql.val(wanted.people)}::bigint[]) as k(actor_id)
      cross join lateral (
        select a.id from activities a
        where a.actor_id = k.actor_id and ${filters}
        order by a.id desc limit ${limit}
      ) x
    )`);
  }
  if (first.length === 0 && wanted.cases.length === 0) return [];
  const posts = wanted.cases.length
    ? sql`union
      select x.id from unnest(${sql.val(wanted.cases)}::text[]) as k(slug)
      cross join lateral (
        select a.id from activities a
        where a.payload ? 'caseSlug' and (a.payload->>'caseSlug') = k.slug
          and a.id >= (select id from floor) and ${filters}
        order by a.id desc limit ${limit}
      ) x`
    : sql``;
  const { rows } = await sql<{
    id: string;
    verb: string;
    object_type: string;
    object_id: string;
    actor_id: string | null;
    countries: string[];
    themes: string[];
    public: boolean;
    payload: unknown;
    created_at: Date;
  }>`
    with found as (${first.length ? sql.join(first, sql` union `) : sql`select null::bigint as id where false`}),
    floor as (
      select case when count(*) = ${limit} then min(id) else 0 end as id
      from (select id from found order by id desc limit ${limit}) newest
    )
    select a.id, a.verb, a.object_type, a.object_id, a.actor_id, a.countries, a.themes, a.public, a.payload,
      a.created_at
    from activities a
    where a.id in (select id from (select id from found ${posts}) hits order by id desc limit ${limit})
    order by a.id desc
  `.execute(db);
  return rows.map(toStoredActivity);
}
