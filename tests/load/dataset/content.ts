/**
 * The dataset's content, set-based (one statement per table, generate_series and random()):
 * members, cases (with their first revision), events (with their organiser) and posts (replies,
 * edits with their revision, deletions, hidden posts, live reply and post counts). Everything is
 * written into an empty, migrated database, so ids are 1..n in creation order and time order
 * (checked); the timeline ends at `anchor`.
 *
 * Timeline: members join over the 4 years before the anchor, cases appear over 5 years (the last
 * 10 days before the anchor excepted), posts over the last 3 years, events over the last 3 years.
 * A post goes to a case that exists by then, older cases far more often (the square of a uniform
 * draw); its author is a member who has joined by then, earlier members far more often.
 */
import type pg from 'pg';
import { discussions } from '../../../db/seed/discussions.ts';
import { renderPost } from '../../../apps/api/src/platform/markdown.ts';
import { detectLanguage } from '../../../apps/api/src/platform/language.ts';
import { expectIds, withoutForeignKeyChecks, withoutIndexes } from './bulk.ts';
import { PLACES, type DatasetSize } from './size.ts';

const FIRST = ['Ana', 'Bram', 'Chloé', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jun', 'Kofi', 'Lea', 'Malik'];
const LAST = [
  'Novak',
  'Okafor',
  'Petit',
  'Quist',
  'Rossi',
  'Sato',
  'Tanaka',
  'Ulloa',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
];
const WHAT = [
  'Open data portal',
  'Participatory budget',
  'Digital identity service',
  'Citizens’ assembly',
  'One-stop shop',
  'Regulatory sandbox',
  'Algorithm register',
  'Youth council',
  'Nudge unit trial',
  'Service design lab',
];
const PURPOSE = [
  'for simpler paperwork',
  'for climate adaptation',
  'for rural areas',
  'for housing access',
  'for local health care',
  'for school meals',
];
/** The busiest countries, in this order; the other places follow in a fixed shuffled order. */
const BUSY_FIRST = ['FR', 'GB', 'US', 'CA', 'DE', 'NL', 'AU', 'DK', 'FI', 'BR', 'KR', 'NZ'];
const ORGANISATIONS = ['Ministry of Finance', 'Digital Service', 'Innovation Lab', 'City Council', 'Tax Agency'];

/** Post bodies: the demo threads' texts, alone and two by two, rendered as the app renders them. */
function bodies(): { body: string; html: string; excerpt: string; language: string }[] {
  const texts = Object.values(discussions).flatMap((thread) => thread.map((p) => p.body));
  const all = [...texts, ...texts.map((t, i) => `${t}\n\n${texts[(i * 5 + 3) % texts.length]}`)];
  return all.map((body) => {
    const { html, excerpt } = renderPost(body, new Set());
    return { body, html, excerpt, language: detectLanguage(excerpt, 'en') };
  });
}

export interface Timeline {
  anchor: Date;
}

/** The reference rows the generator draws from: the observatory's countries, the themes, the bodies. */
async function lookups(client: pg.Client): Promise<{ themes: number; bodies: number }> {
  await client.query(
    `create temp table bench_places as
     select (row_number() over (order by array_position($1::text[], code::text), md5(code)) - 1)::int as i, code, name
     from countries order by i limit ${PLACES}`,
    [BUSY_FIRST],
  );
  await client.query(
    `create temp table bench_themes as
     select (row_number() over (order by position, slug) - 1)::int as i, slug, name from themes`,
  );
  const all = bodies();
  await client.query(
    `create temp table bench_bodies as
     select (n - 1)::int as i, body, html, excerpt, language
     from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as b(body, html, excerpt, language, n)`,
    [all.map((b) => b.body), all.map((b) => b.html), all.map((b) => b.excerpt), all.map((b) => b.language)],
  );
  const { rows } = await client.query<{ n: number }>('select count(*)::int as n from bench_themes');
  return { themes: rows[0]!.n, bodies: all.length };
}

async function members(client: pg.Client, size: DatasetSize, anchor: Date, themes: number): Promise<void> {
  await client.query(
    `insert into users (email, handle, display_name, role, headline, organisation, country_code, themes, locale,
                        created_at, updated_at, email_verified_at)
     select 'm-' || g || '@bench.example.org', 'm-' || g,
            ($1::text[])[1 + g % cardinality($1::text[])] || ' ' || ($2::text[])[1 + (g / 13) % cardinality($2::text[])],
            case when g = 1 then 'admin' when g <= 5 then 'moderator' when g <= 100 then 'organiser' else 'member' end,
            'Public servant', ($3::text[])[1 + g % cardinality($3::text[])], p.code,
            array[t.slug], case when g % 10 = 0 then 'fr' else 'en' end, s.at, s.at, s.at
     from (select g, random() as r1, random() as r2,
                  $4::timestamptz - interval '4 years' * (1 - g::float8 / $5::int) as at
           from generate_series(1, $5::int) g) s
     join bench_places p on p.i = floor(${PLACES} * s.r1 * s.r1)::int
     join bench_themes t on t.i = floor($6::int * s.r2)::int
     order by g`,
    [FIRST, LAST, ORGANISATIONS, anchor, size.members, themes],
  );
  await expectIds(client, 'users', size.members);
}

async function cases(client: pg.Client, size: DatasetSize, anchor: Date, themes: number): Promise<void> {
  await client.query(
    `insert into cases (slug, title, summary, body, year, organisation, level_of_government, stage, countries, themes,
                        language, created_by, created_at, updated_at, last_activity_at)
     select 'bench-case-' || g,
            ($1::text[])[1 + g % cardinality($1::text[])] || ' ' || ($2::text[])[1 + (g / 7) % cardinality($2::text[])]
              || ' (' || g || ')',
            'A public team redesigned the service with its users; generated case ' || g || '.',
            'What they did, how it went and what others can reuse. Case ' || g || ' of the benchmark.',
            2010 + g % 17, ($3::text[])[1 + g % cardinality($3::text[])],
            (array['local', 'regional', 'national', 'international'])[1 + g % 4],
            (array['idea', 'pilot', 'implementation', 'evaluation', 'diffusion'])[1 + g % 5],
            array(select code from bench_places
                  where i in (s.c1, case when s.r2 < 0.2 then (s.c1 + 1 + floor(s.r3 * ${PLACES - 1})::int) % ${PLACES} end,
                              case when s.r4 < 0.05 then (s.c1 + 2 + floor(s.r5 * ${PLACES - 2})::int) % ${PLACES} end)
                  order by code),
            array(select slug from bench_themes
                  where i in (s.t1, case when s.r6 < 0.4 then (s.t1 + 1) % $5::int end,
                              case when s.r7 < 0.1 then (s.t1 + 3) % $5::int end)
                  order by slug),
            case when g % 8 = 0 then 'fr' else 'en' end,
            6 + g % 95, s.at, s.at, s.at
     from (select g, floor(${PLACES} * r1 * r1)::int as c1, r2, r3, r4, r5, floor($5::int * r6b)::int as t1, r6, r7,
                  $4::timestamptz - interval '5 years' + (interval '5 years' - interval '10 days') * (g::float8 / $6::int) as at
           from (select g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5,
                        random() as r6, random() as r6b, random() as r7
                 from generate_series(1, $6::int) g) r) s
     order by g`,
    [WHAT, PURPOSE, ORGANISATIONS, anchor, themes, size.cases],
  );
  await expectIds(client, 'cases', size.cases);
  // Version 1 of every case, as insertCase writes it (cases/repository.ts).
  await client.query(
    `insert into case_revisions (case_id, version, editor_id, fields, created_at)
     select id, 1, created_by, jsonb_build_object(
       'slug', slug, 'title', title, 'summary', summary, 'body', body, 'countries', to_jsonb(countries),
       'themes', to_jsonb(themes), 'year', year, 'organisation', organisation,
       'levelOfGovernment', level_of_government, 'stage', stage, 'sourceUrl', source_url, 'language', language),
       created_at
     from cases order by id`,
  );
}

async function events(client: pg.Client, size: DatasetSize, anchor: Date, themes: number): Promise<void> {
  await client.query(
    `insert into events (slug, title, description, description_html, starts_at, ends_at, timezone, mode, venue,
                         address, online_url, capacity, countries, themes, status, created_by, created_at, updated_at,
                         cancelled_at)
     select 'bench-event-' || g, 'Innovation meetup ' || g, 'A benchmark event.', '<p>A benchmark event.</p>',
            s.at + interval '1 day' * (10 + g % 80), s.at + interval '1 day' * (10 + g % 80) + interval '2 hours',
            'Europe/Paris', s.mode,
            case when s.mode <> 'online' then 'Town hall' else '' end,
            case when s.mode <> 'online' then '1 Main Street' else '' end,
            case when s.mode <> 'in_person' then 'https://meet.example.org/bench-' || g end,
            case when g % 3 = 0 then null else 50 + g % 150 end,
            array[p.code], array[t.slug],
            case when g % 20 = 0 then 'cancelled' else 'published' end,
            6 + g % 95, s.at, s.at, case when g % 20 = 0 then least($1::timestamptz, s.at + interval '1 day') end
     from (select g, (array['in_person', 'online', 'hybrid'])[1 + g % 3] as mode, random() as r1, random() as r2,
                  $1::timestamptz - interval '3 years' * (1 - g::float8 / $2::int) as at
           from generate_series(1, $2::int) g) s
     join bench_places p on p.i = floor(${PLACES} * s.r1 * s.r1)::int
     join bench_themes t on t.i = floor($3::int * s.r2)::int
     order by g`,
    [anchor, size.events, themes],
  );
  await expectIds(client, 'events', size.events);
  await client.query(`insert into event_organisers (event_id, user_id) select id, created_by from events`);
}

/**
 * Posts, planned in a temporary table first (case, author, time, parent, what became of them), so
 * each post is written once, complete: an UPDATE of posts recomputes its search vector and its
 * GIN entry. Three posts in ten reply to the latest earlier top-level post of their case (one level
 * deep, as the app keeps them); posts later deleted are never replied to.
 */
async function posts(client: pg.Client, size: DatasetSize, anchor: Date, bodyCount: number): Promise<void> {
  // How many cases and members exist at a post's time (they were written 1..n in time order).
  await client.query(
    `create temp table bench_posts as
     select g as id, 1 + floor(cases_then * rc * rc)::bigint as case_id,
            1 + floor(members_then * ra * ra)::bigint as author_id, at
     from (select g, rc, ra, at,
                  greatest(1, least($2::int, floor($2::int * extract(epoch from at - ($1::timestamptz - interval '5 years'))
                    / extract(epoch from interval '5 years' - interval '10 days')))) as cases_then,
                  greatest(1, least($3::int, floor($3::int * extract(epoch from at - ($1::timestamptz - interval '4 years'))
                    / extract(epoch from interval '4 years')))) as members_then
           from (select g::bigint as g, random() as rc, random() as ra,
                        $1::timestamptz - interval '3 years' + (interval '3 years' - interval '1 minute') * (g::float8 / $4::int) as at
                 from generate_series(1, $4::int) g) t) s`,
    [anchor, size.cases, size.members, size.posts],
  );
  await client.query(
    `create temp table bench_threads as
     select id, case when id % 10 in (3, 6, 9) then parent end as parent_id from (
       select id, max(id) filter (where id % 10 not in (3, 6, 9) and id % 100 <> 42)
                over (partition by case_id order by id rows between unbounded preceding and 1 preceding) as parent
       from bench_posts) t`,
  );
  // Reactions: on posts of the last three quarters of the timeline, live and shown, by members who
  // had joined by then (members are written in time order), never by the author.
  await client.query(
    `create temp table bench_reactions as
     select distinct on (post_id, user_id, kind) post_id, user_id, kind, at from (
       select p.id as post_id, s.user_id, s.kind, least($1::timestamptz, p.at + interval '1 minute' * (1 + floor(s.r * 600))) as at
       from (select ($2::int / 4 + floor(random() * ($2::int - $2::int / 4)))::bigint + 1 as post_id,
                    1 + floor($3::int * random() * random())::bigint as user_id,
                    (array['like', 'insightful', 'support'])[1 + floor(random() * 3)::int] as kind, random() as r
             from generate_series(1, $4::int)) s
       join bench_posts p on p.id = s.post_id
       join users u on u.id = s.user_id and u.created_at <= p.at
       where p.author_id <> s.user_id and p.id % 100 <> 42 and p.id % 1000 not in (7, 507)) x`,
    [anchor, size.posts, size.members, size.reactions],
  );
  await client.query(
    `insert into posts (id, case_id, parent_id, author_id, body, body_html, excerpt, language, live_reply_count,
                        reactions, created_at, edited_at, deleted_at, deleted_by, hidden_at, hidden_by, hidden_reason)
     overriding system value
     select p.id, p.case_id, t.parent_id, p.author_id, b.body, b.html, b.excerpt, b.language, coalesce(r.n, 0),
            coalesce(k.counts, '{}'::jsonb), p.at,
            case when p.id % 50 = 11 then least($1::timestamptz, p.at + interval '10 minutes') end,
            case when p.id % 100 = 42 then least($1::timestamptz, p.at + interval '1 hour') end,
            case when p.id % 100 = 42 then p.author_id end,
            case when p.id % 1000 in (7, 507) then least($1::timestamptz, p.at + interval '2 hours') end,
            case when p.id % 1000 in (7, 507) then 2 end,
            case when p.id % 1000 in (7, 507) then 'Off-topic for this case' end
     from bench_posts p
     join bench_threads t on t.id = p.id
     join bench_bodies b on b.i = p.id % $2::int
     left join (select parent_id, count(*)::int as n from bench_threads where parent_id is not null and id % 100 <> 42
                group by parent_id) r on r.parent_id = p.id
     left join (select post_id, jsonb_object_agg(kind, n) as counts
                from (select post_id, kind, count(*)::int as n from bench_reactions group by post_id, kind) c
                group by post_id) k on k.post_id = p.id
     order by p.id`,
    [anchor, bodyCount],
  );
  await client.query(
    `insert into post_reactions (post_id, user_id, kind, created_at)
     select post_id, user_id, kind, at from bench_reactions order by post_id, user_id, kind`,
  );
  await client.query('drop table bench_reactions');
  await client.query(`select setval(pg_get_serial_sequence('posts', 'id'), $1::bigint)`, [size.posts]);
  await expectIds(client, 'posts', size.posts);
  await client.query('drop table bench_threads');
  // An edit: the post as first written is its revision.
  await client.query(
    `insert into post_revisions (post_id, body, body_html, written_at, replaced_at, replaced_by)
     select p.id, b.body, b.html, p.created_at, p.edited_at, p.author_id
     from posts p join bench_bodies b on b.i = (p.id + 1) % $1::int
     where p.edited_at is not null
     order by p.id`,
    [bodyCount],
  );
  await client.query(
    `update cases c set post_count = s.n, last_activity_at = greatest(c.created_at, s.last)
     from (select case_id, count(*)::int as n, max(at) as last from bench_posts where id % 100 <> 42 group by case_id) s
     where c.id = s.case_id`,
  );
}

/** Members, cases, events and posts; returns the lookups' sizes for the next steps. */
export async function writeContent(
  client: pg.Client,
  size: DatasetSize,
  anchor: Date,
  log: (line: string) => void,
): Promise<{ themes: number }> {
  const { themes, bodies: bodyCount } = await lookups(client);
  log(`dataset: ${size.members.toLocaleString('en')} members`);
  await members(client, size, anchor, themes);
  log(`dataset: ${size.cases.toLocaleString('en')} cases, ${size.events.toLocaleString('en')} events`);
  await cases(client, size, anchor, themes);
  await events(client, size, anchor, themes);
  log(`dataset: ${size.posts.toLocaleString('en')} posts, their reactions`);
  await withoutIndexes(client, ['posts', 'post_reactions'], () =>
    withoutForeignKeyChecks(client, () => posts(client, size, anchor, bodyCount)),
  );
  return { themes };
}
