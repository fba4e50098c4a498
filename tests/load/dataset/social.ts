/**
 * The dataset's social graph, set-based: follows of every
 * kind (with the follower counts of cases and people), blocks (a block ends the blocked member's
 * follow of the blocker, as member-tools does).
 *
 * Follows: 7 members in 10 follow their own country, every 5th member the busiest country (so it
 * has at least members ÷ 5 followers), every 2nd member a theme, every 3rd one to three cases,
 * every 4th one to three people (popular cases and active members far more often); every 100th
 * member from the 50th follows 50 things (busy, quiet or mixed ones: see below), and blocks one of
 * the people they follow.
 */
import type pg from 'pg';
import { BUSIEST_COUNTRY_EVERY, HEAVY_EVERY, HEAVY_OFFSET, PLACES, type DatasetSize } from './size.ts';

async function follows(client: pg.Client, size: DatasetSize, anchor: Date, themes: number): Promise<void> {
  // Candidates (type, key, quota per member and type), then at most `quota` distinct ones each.
  await client.query(
    `create temp table bench_follow_candidates as
     select u.id as user_id, c.type, c.key, c.quota, u.created_at as joined
     from (select *, id % ${HEAVY_EVERY} = ${HEAVY_OFFSET} as heavy, (id / ${HEAVY_EVERY})::int as k,
                  (id / ${HEAVY_EVERY})::int % 4 as kind
           from users) u
     cross join lateral (
       select 'country' as type, u.country_code as key, 2 as quota where u.id % 10 < 7 and not heavy
       union all
       select 'country', (select code from bench_places where i = 0), 2
       where u.id % ${BUSIEST_COUNTRY_EVERY} = 0 and not heavy
       union all
       select 'theme', u.themes[1], 1 where u.id % 2 = 0 and not heavy
       union all
       select 'case', 'bench-case-' || (1 + floor($1::int * random() * random())::int), 1 + u.id::int % 3
       from generate_series(1, 3) where u.id % 3 = 0 and not heavy
       union all
       select 'person', 'm-' || (1 + floor($2::int * random() * random())::int), 1 + u.id::int % 3
       from generate_series(1, 3) where u.id % 4 = 0 and not heavy
       -- The members who follow 50 things, of three kinds (k = id ÷ 100): busy (k % 4 in 0, 1: five
       -- countries spread over the places, five themes, popular cases and active people), quiet
       -- (k % 4 = 2: ten countries of the quiet tail, no theme, any case, anyone) and mixed
       -- (k % 4 = 3: five quiet countries, five themes, any case, active people).
       union all
       select 'country', p.code, case when kind = 2 then 10 else 5 end from bench_places p
       where heavy and (
         (kind < 2 and p.i in (k % ${PLACES}, (k + 19) % ${PLACES}, (k + 37) % ${PLACES}, (k + 59) % ${PLACES},
                               (k + 83) % ${PLACES}))
         or (kind = 2 and p.i >= ${PLACES} - 34 and (p.i + k) % 3 = 0)
         or (kind = 3 and p.i >= ${PLACES} - 34 and (p.i + k) % 6 = 0))
       union all
       select 'theme', t.slug, 5 from bench_themes t
       where heavy and kind <> 2 and (t.i + k) % $3::int < 5
       union all
       select 'case', 'bench-case-' || (1 + floor($1::int * random() * case when kind < 2 then random() else 1 end)::int), 20
       from generate_series(1, 60) where heavy
       union all
       select 'person', 'm-' || (1 + floor($2::int * random() * case when kind = 2 then 1 else random() end)::int), 20
       from generate_series(1, 60) where heavy
     ) c
     where c.key is not null and not (c.type = 'person' and c.key = 'm-' || u.id)`,
    [size.cases, size.members, themes],
  );
  await client.query(
    `insert into follows (user_id, target_type, target_key, created_at)
     select user_id, type, key, at from (
       select d.user_id, d.type, d.key,
              greatest(d.joined + (($1::timestamptz - d.joined) * random()), coalesce(c.created_at, m.created_at, d.joined))
                as at,
              row_number() over (partition by d.user_id, d.type order by d.key) as n, d.quota
       from (select distinct user_id, type, key, quota, joined from bench_follow_candidates) d
       left join cases c on d.type = 'case' and c.slug = d.key
       left join users m on d.type = 'person' and m.handle = d.key
     ) f
     where n <= quota
     order by at`,
    [anchor],
  );
  await client.query('drop table bench_follow_candidates');
}

async function blocks(client: pg.Client, size: DatasetSize): Promise<void> {
  await client.query(
    `insert into blocks (blocker_id, blocked_id, created_at)
     select blocker, blocked, now() - interval '1 day' * floor(random() * 300) from (
       select 1 + floor($1::int * random())::bigint as blocker, 1 + floor($1::int * random() * random())::bigint as blocked
       from generate_series(1, $2::int)) b
     where blocker <> blocked
     on conflict do nothing`,
    [size.members, size.blocks],
  );
  await client.query(
    `insert into blocks (blocker_id, blocked_id)
     select distinct on (f.user_id) f.user_id, u.id
     from follows f join users u on u.handle = f.target_key
     where f.target_type = 'person' and f.user_id % ${HEAVY_EVERY} = ${HEAVY_OFFSET}
     order by f.user_id, f.target_key
     on conflict do nothing`,
  );
  // A block ends the blocked member's follow of the blocker.
  await client.query(
    `delete from follows f using blocks b, users blocker
     where blocker.id = b.blocker_id and f.user_id = b.blocked_id
       and f.target_type = 'person' and f.target_key = blocker.handle`,
  );
}

/** Reactions, follows and blocks, then the counts that follow from them. */
export async function writeSocial(
  client: pg.Client,
  size: DatasetSize,
  anchor: Date,
  themes: number,
  log: (line: string) => void,
): Promise<void> {
  log(`dataset: follows and blocks`);
  await follows(client, size, anchor, themes);
  await blocks(client, size);
  await client.query(
    `update cases c set follower_count = f.n
     from (select target_key, count(*)::int as n from follows where target_type = 'case' group by target_key) f
     where c.slug = f.target_key`,
  );
  await client.query(
    `update users u set follower_count = f.n
     from (select target_key, count(*)::int as n from follows where target_type = 'person' group by target_key) f
     where u.handle = f.target_key`,
  );
}
