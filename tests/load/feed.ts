/**
 * The feed at scale: 10,000 members, 100,000 activities (new cases, posts, and reactions and edits
 * that are not feed items) over 2,000 cases in every country and theme, and 30,000 follows, written
 * straight into PostgreSQL before the app starts (so the outbox treats them as history). Two
 * members follow 20 items each: one follows busy countries, themes, cases and people, the other
 * quiet ones (few matching activities, so the query walks further back to fill a page).
 */
import pg from 'pg';
import { createDatabase } from '../../packages/db/src/database.ts';
import { feed } from '../../apps/api/src/modules/follows/repository.ts';

export const FEED_MEMBERS = 10_000;
export const FEED_ACTIVITIES = 100_000;
const CASES = 2_000;
const POSTS = 80_000;
const NON_FEED = FEED_ACTIVITIES - POSTS - CASES;

export interface FeedData {
  members: number;
  activities: number;
  follows: number;
  busy: string;
  quiet: string;
}

export async function seedFeed(url: string): Promise<FeedData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('alter table activities disable trigger activities_notify');
    const countries = (await client.query<{ code: string }>('select code from countries order by code')).rows.map(
      (r) => r.code,
    );
    const themes = (await client.query<{ slug: string }>('select slug from themes order by slug')).rows.map(
      (r) => r.slug,
    );
    await client.query(
      `insert into users (email, handle, display_name)
       select 'feed-' || g || '@example.org', 'feed-' || g, 'Feed Member ' || g from generate_series(1, $1::int) g`,
      [FEED_MEMBERS],
    );
    // Cases: countries and themes skewed so that some are busy and some quiet (g^2 spreads them).
    await client.query(
      `insert into cases (slug, title, summary, year, organisation, level_of_government, stage, countries, themes, created_at)
       select 'feed-case-' || g, 'Feed case ' || g, 'A case written by the feed benchmark.', 2015 + g % 11,
              'Benchmark organisation', 'national', 'pilot',
              array[($1::text[])[1 + (g * g) % 60]], array[($2::text[])[1 + (g * 7) % array_length($2::text[], 1)]],
              now() - interval '400 days' + g * interval '1 minute'
       from generate_series(1, $3::int) g`,
      [countries, themes, CASES],
    );
    await client.query(
      `with c as (select id, row_number() over (order by id) as n from cases where slug like 'feed-case-%'),
            u as (select id, row_number() over (order by id) as n from users where handle like 'feed-%')
       insert into posts (case_id, author_id, body, body_html, excerpt, created_at)
       select c.id, u.id, 'A post written by the feed benchmark, number ' || g,
              '<p>A post written by the feed benchmark, number ' || g || '</p>',
              'A post written by the feed benchmark, number ' || g,
              now() - interval '300 days' + g * interval '5 minutes'
       from generate_series(1, $1::int) g
       join c on c.n = 1 + (g * 13) % ${CASES}
       join u on u.n = 1 + (g * 31) % ${FEED_MEMBERS}`,
      [POSTS],
    );
    // One activity per case and per post, and non-feed activities (reactions) on posts, in time order.
    await client.query(
      `insert into activities (verb, object_type, object_id, actor_id, countries, themes, payload, created_at)
       select verb, object_type, object_id, actor_id, countries, themes, payload, created_at from (
         select 'created' as verb, 'case' as object_type, c.slug as object_id, null::bigint as actor_id,
                c.countries, c.themes, jsonb_build_object('title', c.title) as payload, c.created_at
         from cases c where c.slug like 'feed-case-%'
         union all
         select 'created', 'post', p.id::text, p.author_id, c.countries, c.themes,
                jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text), p.created_at
         from posts p join cases c on c.id = p.case_id where c.slug like 'feed-case-%'
         union all
         select 'reacted', 'post', p.id::text, p.author_id, c.countries, c.themes,
                jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text), p.created_at + interval '1 minute'
         from posts p join cases c on c.id = p.case_id where c.slug like 'feed-case-%' and p.id % 4 = 0
         limit ${POSTS + CASES + NON_FEED}
       ) a order by created_at`,
    );
    // Every member follows three things; the two measured members follow twenty.
    await client.query(
      `insert into follows (user_id, target_type, target_key)
       select u.id, t.type, t.key from users u,
         lateral (values ('country', ($1::text[])[1 + (u.id::int * 3) % 60]),
                         ('theme', ($2::text[])[1 + (u.id::int * 5) % array_length($2::text[], 1)]),
                         ('case', 'feed-case-' || (1 + (u.id::int * 11) % ${CASES}))) t(type, key)
       where u.handle like 'feed-%'
       on conflict do nothing`,
      [countries, themes],
    );
    const follow = async (handle: string, targets: [string, string][]) => {
      for (const [type, key] of targets) {
        await client.query(
          `insert into follows (user_id, target_type, target_key)
           select id, $2, $3 from users where handle = $1 on conflict do nothing`,
          [handle, type, key],
        );
      }
    };
    const busyCountries = [1, 2, 3, 4, 5].map((i) => countries[(i * i) % 60]!);
    await follow('feed-1', [
      ...busyCountries.map((c): [string, string] => ['country', c]),
      ...themes.slice(0, 5).map((t): [string, string] => ['theme', t]),
      ...[1, 2, 3, 4, 5].map((i): [string, string] => ['case', `feed-case-${i * 13}`]),
      ...[10, 20, 30, 40, 50].map((i): [string, string] => ['person', `feed-${i}`]),
    ]);
    // Quiet: countries with no case at all here, and a few cases and people only.
    await follow('feed-2', [
      ...countries.slice(-10).map((c): [string, string] => ['country', c]),
      ...[7, 77, 777, 1777, 1999].map((i): [string, string] => ['case', `feed-case-${i}`]),
      ...[9001, 9002, 9003, 9004, 9005].map((i): [string, string] => ['person', `feed-${i}`]),
    ]);
    await client.query(`update outbox_cursors set last_id = (select max(id) from activities)`);
    await client.query('alter table activities enable trigger activities_notify');
    await client.query('commit');
    await client.query('analyze');
    const counts = await client.query<{ members: string; activities: string; follows: string }>(
      `select (select count(*) from users) as members, (select count(*) from activities) as activities,
              (select count(*) from follows) as follows`,
    );
    const row = counts.rows[0]!;
    return {
      members: Number(row.members),
      activities: Number(row.activities),
      follows: Number(row.follows),
      busy: 'feed-1',
      quiet: 'feed-2',
    };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export interface FeedQueryTiming {
  member: string;
  samples: number;
  items: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The feed query alone, through the app's own repository function on its own connection pool:
 * `samples` sequential first pages of 20 after a warm-up.
 */
export async function timeFeedQuery(url: string, handle: string, samples: number): Promise<FeedQueryTiming> {
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  try {
    const row = await database.kysely
      .selectFrom('users')
      .select('id')
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow();
    const run = async () => (await feed(database.kysely, row.id, { limit: 21 })).length;
    for (let i = 0; i < 20; i += 1) await run();
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < samples; i += 1) {
      const started = performance.now();
      items = await run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0;
    return { member: handle, samples, items, p50Ms: Number(at(50).toFixed(2)), p99Ms: Number(at(99).toFixed(2)) };
  } finally {
    await database.close();
  }
}
