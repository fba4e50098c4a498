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

/** What a member follows, by kind (people as user ids: a handle no member has is left out), and whom they blocked. */
interface Followed {
  countries: string[];
  themes: string[];
  cases: string[];
  events: string[];
  people: string[];
  blocked: string[];
}

async function followed(db: Executor, userId: string): Promise<Followed> {
  const { rows } = await sql<{ target_type: string; target_key: string | null; user_id: string | null }>`
    select f.target_type, f.target_key, u.id as user_id
    from follows f
    left join users u on f.target_type = 'person' and u.handle = f.target_key
    where f.user_id = ${userId}
    union all
    select 'blocked', null, b.blocked_id from blocks b where b.blocker_id = ${userId}
  `.execute(db);
  const keys = (type: string) => rows.flatMap((r) => (r.target_type === type && r.target_key ? [r.target_key] : []));
  const users = (type: string) => rows.flatMap((r) => (r.target_type === type && r.user_id ? [r.user_id] : []));
  return {
    countries: keys('country'),
    themes: keys('theme'),
    cases: keys('case'),
    events: keys('event'),
    people: users('person'),
    blocked: users('blocked'),
  };
}

type Branch = RawBuilder<unknown>;

/**
 * Public activity matching what the member follows, newest first, before `beforeId`, as stored
 * (the service checks it against the catalogue). Their own actions, and those of members they
 * blocked (nor in the digest, which reads this feed), are left out.
 *
 * Two statements: the member's follows and blocks, then one query made of branches that each read
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
): Promise<StoredActivity[]> {
  const wanted = await followed(db, userId);
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
