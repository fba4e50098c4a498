/**
 * BENCH_ONLY=matches: one member's matches (introductions/matches/repository.ts) at scale, the
 * statement the API runs, on a throwaway PostgreSQL with a generated dataset written set-based
 * (generate_series, a few statements): BENCH_MATCHES_MEMBERS members (100,000) in 40 countries, a
 * third open to introductions, each with two profile themes, three followed themes and two
 * followed cases out of 5,000, a headline and bio from a vocabulary of 200 words, 200,000 posts
 * in the cases' threads, half of the members going to one of 500 events. Then the matches of 200
 * opted-in members (limit 10), timed one after another after a warm-up, against a p99 target of
 * 50 ms, and EXPLAIN (ANALYZE, BUFFERS) of one.
 */
import pg from 'pg';
import { createDatabase } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { findMatches } from '../../apps/api/src/modules/introductions/matches/repository.ts';
import { alone } from './alone.ts';
import { positiveInteger } from './http.ts';

export const MATCHES_TARGET_P99_MS = 50;
const SAMPLES = 200;
const COUNTRIES =
  'FR,CA,BR,SN,JP,DE,IT,ES,PT,GB,US,MX,AR,CL,CO,PE,KE,GH,NG,ZA,MA,TN,EG,IN,ID,PH,VN,TH,KR,AU,NZ,SE,NO,FI,DK,NL,BE,PL,CZ,AT';

export interface MatchesResult {
  members: number;
  openMembers: number;
  rows: Record<string, number>;
  generateSeconds: number;
  samples: number;
  timing: { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number };
  matchesPerMember: { min: number; max: number };
  explain: string[];
}

/** The dataset, each table in one set-based statement. */
function statements(members: number): string[] {
  const words = Array.from({ length: 200 }, (_, i) => `'w${i.toString(36)}${'aeiou'[i % 5]}rk'`).join(',');
  const vocabulary = `(array[${words}])`;
  const word = (seed: string) => `${vocabulary}[1 + ((${seed}) % 200)]`;
  return [
    `insert into users (email, handle, display_name, country_code, themes, headline, bio, open_to_introductions,
       email_verified_at)
     select 'mb-' || g || '@example.org', 'mb-' || g, 'Member ' || g,
       (string_to_array('${COUNTRIES}', ','))[1 + g % 40],
       array['t-' || g % 30, 't-' || (g / 30) % 30],
       ${word('g * 7')} || ' ' || ${word('g * 13 + 1')} || ' and ' || ${word('g / 3')},
       ${word('g * 17 + 2')} || ' ' || ${word('g * 19 + 3')} || ' ' || ${word('g / 7')} || ' ' || ${word('g * 23')},
       g % 3 = 0, now()
     from generate_series(1, ${members}) g`,
    `insert into cases (slug, title, summary, year, organisation, level_of_government, stage, countries, themes)
     select 'case-' || g, 'Case ' || g, 'A generated case.', 2020, 'Bench', 'national', 'pilot',
       array['FR'], array['t-' || g % 30]
     from generate_series(1, 5000) g`,
    `insert into follows (user_id, target_type, target_key)
     select u.id, 'theme', 't-' || k from users u,
       lateral (values (u.id % 30), ((u.id * 7) % 30), ((u.id * 11 + 3) % 30)) v(k)
     on conflict do nothing`,
    `insert into follows (user_id, target_type, target_key)
     select u.id, 'case', 'case-' || k from users u,
       lateral (values (1 + u.id % 5000), (1 + (u.id * 13) % 5000)) v(k)
     on conflict do nothing`,
    `insert into posts (case_id, author_id, body, body_html)
     select c.id, 1 + (g * 7919) % ${members}, 'Notes ' || ${word('g * 29')} || ' ' || ${word('g * 31 + 5')},
       '<p>Notes</p>'
     from generate_series(1, 200000) g join cases c on c.slug = 'case-' || (1 + g % 5000)`,
    `insert into events (slug, title, starts_at, ends_at, timezone, mode, online_url, created_by)
     select 'event-' || g, 'Event ' || g, now() + interval '10 days', now() + interval '10 days 2 hours',
       'Europe/Paris', 'online', 'https://example.org/room', 1
     from generate_series(1, 500) g`,
    `insert into rsvps (event_id, user_id, status, ticket_code, decided_order)
     select e.id, u.id, 'going', upper(substr(md5(u.id::text), 1, 12)), u.id
     from users u join events e on e.slug = 'event-' || (1 + u.id % 500)
     where u.id % 2 = 0`,
    // What autovacuum would have done long before on a running site: visibility maps set (index-only
    // scans), statistics taken. Without it, autovacuum starts on the four tables during the timing.
    `vacuum (analyze)`,
  ];
}

function percentiles(values: number[]): MatchesResult['timing'] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0).toFixed(2));
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}

export async function runMatches(url: string, log: (line: string) => void): Promise<MatchesResult> {
  const members = positiveInteger('BENCH_MATCHES_MEMBERS', 100_000);
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await migrateToLatest(database.kysely);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const started = performance.now();
    try {
      for (const statement of statements(members)) {
        log(`matches: ${statement.split('\n')[0]!.slice(0, 70)}`);
        await client.query(statement);
      }
    } finally {
      await client.end();
    }
    const generateSeconds = Math.round((performance.now() - started) / 1000);
    const db = database.kysely;
    const rows: Record<string, number> = {};
    for (const table of ['users', 'follows', 'cases', 'posts', 'events', 'rsvps'] as const) {
      const { count } = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      rows[table] = Number(count);
    }
    const open = await db
      .selectFrom('users')
      .select('id')
      .where('open_to_introductions', '=', true)
      .orderBy('id')
      .execute();
    const step = Math.max(1, Math.floor(open.length / SAMPLES));
    const askers = open
      .filter((_, i) => i % step === 0)
      .slice(0, SAMPLES)
      .map((r) => r.id);
    const now = new Date();
    for (const id of askers.slice(0, 20)) await findMatches(db, { userId: id, now, limit: 10 });
    const times: number[] = [];
    const counts: number[] = [];
    for (const id of askers) {
      const t0 = performance.now();
      const found = await findMatches(db, { userId: id, now, limit: 10 });
      times.push(performance.now() - t0);
      counts.push(found.length);
    }
    const timing = percentiles(times);
    log(`matches: ${askers.length} members, p50 ${timing.p50Ms} ms, p99 ${timing.p99Ms} ms`);
    const explain = await explainOne(url, askers[0]!);
    return {
      members,
      openMembers: open.length,
      rows,
      generateSeconds,
      samples: askers.length,
      timing,
      matchesPerMember: { min: Math.min(...counts), max: Math.max(...counts) },
      explain,
    };
  } finally {
    await database.close();
  }
}

/** The plan of one member's matches, as the statement is sent (captured from pg). */
async function explainOne(url: string, userId: string): Promise<string[]> {
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  const seen: { text: string; values: unknown[] }[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function capture(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text: string; values?: unknown[] };
    if (typeof first === 'string') seen.push({ text: first, values: (args[1] as unknown[] | undefined) ?? [] });
    else seen.push({ text: first.text, values: first.values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await findMatches(database.kysely, { userId, now: new Date(), limit: 10 });
  } finally {
    pg.Client.prototype.query = original;
    await database.close();
  }
  const last = seen[seen.length - 1]!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The second plan: a connection's first statement also fills its catalogue caches (planning ~25 ms then).
    const explain = () =>
      client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${last.text}`, last.values);
    await explain();
    const { rows } = await explain();
    return rows.map((r) => r['QUERY PLAN']);
  } finally {
    await client.end();
  }
}

export function matchesMarkdown(r: MatchesResult): string[] {
  const ok = r.timing.p99Ms <= MATCHES_TARGET_P99_MS;
  return [
    `Dataset (generated set-based in ${r.generateSeconds} s): ${Object.entries(r.rows)
      .map(([t, n]) => `${n.toLocaleString('en')} ${t}`)
      .join(', ')}; ${r.openMembers.toLocaleString('en')} members open to introductions.`,
    '',
    `One member's matches (limit 10), ${r.samples} opted-in members one after another, after a warm-up:`,
    '',
    '| p50 ms | p90 ms | p99 ms | max ms | target p99 | matches per member |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${r.timing.p50Ms} | ${r.timing.p90Ms} | **${r.timing.p99Ms}** | ${r.timing.maxMs} | ${MATCHES_TARGET_P99_MS} ms ${ok ? '(met)' : '(**missed**)'} | ${r.matchesPerMember.min}–${r.matchesPerMember.max} |`,
    '',
    'EXPLAIN (ANALYZE, BUFFERS) of one member’s matches:',
    '',
    '```',
    ...r.explain,
    '```',
  ];
}

/** BENCH_ONLY=matches. */
export const matchesOnly = (log: (line: string) => void) =>
  alone(
    'matches',
    'introductions: one member’s matches',
    (bench) => runMatches(bench.postgresUrl, log),
    matchesMarkdown,
    (r) => r.timing.p99Ms > MATCHES_TARGET_P99_MS,
  );
