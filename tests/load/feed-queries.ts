/**
 * The feed query at scale, in this process on its own connection pool: the app's repository
 * function (follows/feed/repository.ts: the follows, then a UNION of index scans) beside the OR
 * query it replaced (kept here, as in follows/feed/feed.test.ts, as the same-run baseline), for the
 * members who follow 50 things: their first page and the page after it (the cursor), the two
 * queries taking turns. Plus EXPLAIN (ANALYZE, BUFFERS) of the new query for one member of each kind.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { createDatabase, type Database } from '@opsi/db/database';
import { feed } from '../../apps/api/src/modules/follows/feed/repository.ts';
import { HEAVY_EVERY, HEAVY_OFFSET } from './dataset/size.ts';

export const PAGE = 20;

/** The feed query before issue 15 (an OR across six conditions, ordered by id): ids only. */
async function orQuery(database: Database, userId: string, page: { beforeId?: string; limit: number }) {
  const { rows } = await sql<{ id: string }>`
    with f as (select target_type, target_key from follows where user_id = ${userId}),
    wanted as (
      select
        coalesce(array_agg(target_key) filter (where target_type = 'country'), '{}') as countries,
        coalesce(array_agg(target_key) filter (where target_type = 'theme'), '{}') as themes,
        coalesce(array_agg(target_key) filter (where target_type = 'case'), '{}') as cases,
        coalesce(array_agg(target_key) filter (where target_type = 'event'), '{}') as events,
        coalesce((select array_agg(u.id) from users u join f p on p.target_type = 'person' and u.handle = p.target_key), '{}') as people
      from f
    )
    select a.id, a.verb, a.object_type, a.object_id, a.actor_id, a.countries, a.themes, a.public, a.payload,
      a.created_at
    from activities a, wanted w
    where a.public
      and a.verb = any(${['created', 'cancelled', 'imported']}::text[])
      and a.actor_id is distinct from ${userId}
      and not exists (select 1 from blocks b where b.blocker_id = ${userId} and b.blocked_id = a.actor_id)
      ${page.beforeId ? sql`and a.id < ${page.beforeId}` : sql``}
      and (
        a.countries && w.countries
        or a.themes && w.themes
        or (a.payload ? 'caseSlug' and (a.payload->>'caseSlug') = any(w.cases))
        or (a.object_type = 'case' and a.object_id = any(w.cases))
        or (a.object_type = 'event' and a.object_id = any(w.events))
        or a.actor_id = any(w.people)
      )
    order by a.id desc
    limit ${page.limit}
  `.execute(database.kysely);
  return rows;
}

/** The kinds of member who follow 50 things (dataset/social.ts): busy, quiet, mixed. */
export function kindOf(userId: string): 'busy' | 'quiet' | 'mixed' {
  const k = Math.floor(Number(userId) / HEAVY_EVERY) % 4;
  return k < 2 ? 'busy' : k === 2 ? 'quiet' : 'mixed';
}

export interface Timing {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FeedQueryResult {
  members: number;
  /** New and old query, per kind of member and over all; first pages and next pages together. */
  timings: { query: 'union' | 'or'; kind: string; timing: Timing }[];
  /** Pages on which the two queries returned different ids (must be 0). */
  differences: number;
  itemsPerFirstPage: { min: number; max: number };
  explains: { kind: string; member: string; planning: string; execution: string; plan: string[] }[];
}

function timing(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0).toFixed(2));
  return { samples: sorted.length, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}

/** The statements `run` sends through pg, with their values (to EXPLAIN them). */
async function captured(run: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function capture(this: pg.Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    if (typeof first === 'string') seen.push({ text: first, values: second ?? [] });
    else seen.push({ text: first.text, values: first.values ?? [] });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

async function explain(url: string, database: Database, member: string, kind: string) {
  const statements = await captured(() => feed(database.kysely, member, { limit: PAGE + 1 }));
  const last = statements[statements.length - 1]!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Twice: the second reading is the warm one.
    await client.query(`explain (analyze) ${last.text}`, last.values);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers, costs off) ${last.text}`,
      last.values,
    );
    const lines = rows.map((r) => r['QUERY PLAN']);
    const find = (label: string) =>
      lines
        .find((l) => l.startsWith(label))
        ?.replace(label, '')
        .trim() ?? '?';
    return {
      kind,
      member,
      planning: find('Planning Time:'),
      execution: find('Execution Time:'),
      plan: lines.filter((l) => /Scan|Limit|Nested Loop|Append|Aggregate|Sort/.test(l)),
    };
  } finally {
    await client.end();
  }
}

export async function timeFeedQueries(url: string, log: (line: string) => void): Promise<FeedQueryResult> {
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  try {
    const { rows } = await sql<{ id: string }>`
      select user_id::text as id from follows where user_id % ${HEAVY_EVERY} = ${HEAVY_OFFSET}
      group by user_id having count(*) >= 45 order by user_id
    `.execute(database.kysely);
    const members = rows.map((r) => r.id);
    log(`feed: ${members.length} members who follow 50 things, two pages each, both queries in turn`);
    const times: Record<string, number[]> = {};
    const add = (query: string, kind: string, ms: number) => {
      for (const key of [`${query}/${kind}`, `${query}/all`]) (times[key] ??= []).push(ms);
    };
    const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
      const started = performance.now();
      const result = await run();
      return [result, performance.now() - started];
    };
    // A warm-up pass over a few members (connections, plans, caches), not counted.
    for (const member of members.slice(0, 20)) {
      await feed(database.kysely, member, { limit: PAGE + 1 });
      await orQuery(database, member, { limit: PAGE + 1 });
    }
    let differences = 0;
    const items: number[] = [];
    for (const member of members) {
      const kind = kindOf(member);
      let beforeId: string | undefined;
      for (let page = 0; page < 2; page += 1) {
        const range = { ...(beforeId ? { beforeId } : {}), limit: PAGE + 1 };
        const [mine, mineMs] = await timed(() => feed(database.kysely, member, range));
        const [theirs, theirsMs] = await timed(() => orQuery(database, member, range));
        add('union', kind, mineMs);
        add('or', kind, theirsMs);
        if (mine.map((a) => a.id).join() !== theirs.map((a) => a.id).join()) differences += 1;
        if (page === 0) items.push(Math.min(mine.length, PAGE));
        if (mine.length <= PAGE) break;
        beforeId = mine[PAGE - 1]!.id;
      }
    }
    const timings = Object.entries(times).map(([key, values]) => {
      const [query, kind] = key.split('/') as ['union' | 'or', string];
      return { query, kind, timing: timing(values) };
    });
    const pick = (kind: string) => members.find((m) => kindOf(m) === kind);
    const explains = [];
    for (const kind of ['busy', 'quiet', 'mixed']) {
      const member = pick(kind);
      if (member) explains.push(await explain(url, database, member, kind));
    }
    return {
      members: members.length,
      timings,
      differences,
      itemsPerFirstPage: { min: Math.min(...items), max: Math.max(...items) },
      explains,
    };
  } finally {
    await database.close();
  }
}
