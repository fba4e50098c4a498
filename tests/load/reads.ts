/**
 * The thread read (GET /api/v1/cases/<slug>/posts?limit=50), anonymous and signed in, each beside
 * its ceiling in the same run: a bare Fastify sending the very bytes of that answer from memory
 * (servers/bytes.ts); the SQL statements each kind of request sends; and the public cache's hit
 * rate while a writer posts, in another case (tags leave this thread's answers cached) and in this
 * one (each post drops them). `BENCH_ONLY=reads` runs this section alone (bench.ts).
 */
import type { ChildProcess } from 'node:child_process';
import type { PublicCacheStats } from '../../apps/api/src/platform/cache.ts';
import type { CpuGroups } from './cpu.ts';
import { DURATION_S, httpTable, load, positiveInteger, type Result } from './http.ts';
import { ask } from './ipc.ts';
import { memberHeaders, type Member, type SeededThread } from './seed.ts';
import type { RecordedRequest } from './servers/app.ts';
import { verdict } from './section-report.ts';

export const READS_TARGETS = { anonymousRatio: 0.9, signedInRatio: 0.6, p99Ms: 20 };
/** Posts a second written by the writer during the cache runs. */
const WRITES_PER_SECOND = 20;

export interface QueryCount {
  request: string;
  samples: number;
  status: number;
  items: number;
  /** SQL statements per request (fewest and most over the samples). */
  statementsMin: number;
  statementsMax: number;
  /** Medians over the samples: the request's time in the server, and the part spent waiting on SQL. */
  serverMs: number;
  sqlMs: number;
  statements: string[];
}

export interface CacheUnderWrites {
  name: string;
  read: Result;
  postsWritten: number;
  /** From the app's public cache, over the run: hits ÷ (hits + misses + shared). */
  hitRate: number;
  stats: PublicCacheStats;
}

/** The app's run and its ceiling's in one round, and their ratio (app req/s ÷ same-bytes req/s). */
interface Pair {
  app: Result;
  bytes: Result;
  ratio: number;
}

/** How many times the four read runs are repeated (BENCH_READS_ROUNDS, 5); each ratio is the median round's. */
const READS_ROUNDS = positiveInteger('BENCH_READS_ROUNDS', 5);

const pair = (app: Result, bytes: Result): Pair => ({
  app,
  bytes,
  ratio: Number((app.requestsPerSecond / Math.max(1, bytes.requestsPerSecond)).toFixed(3)),
});

/** The median round's pair, with every round's ratio in the order they ran. */
function medianPair(pairs: Pair[]): Pair & { rounds: number[] } {
  const byRatio = [...pairs].sort((a, b) => a.ratio - b.ratio);
  return { ...byRatio[Math.floor((byRatio.length - 1) / 2)]!, rounds: pairs.map((p) => p.ratio) };
}

export interface ReadsResult {
  thread: SeededThread & { members: number };
  anonymous: Pair & { rounds: number[] };
  signedIn: Pair & { rounds: number[] };
  hello: Result;
  queries: QueryCount[];
  cacheUnderWrites: CacheUnderWrites[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

/** Requests of each kind, one at a time, with the app counting and timing the SQL statements each sends. */
export async function countQueries(app: ChildProcess, url: string, member: Member): Promise<QueryCount[]> {
  const kinds: { request: string; headers: Record<string, string>; samples: number }[] = [
    { request: 'anonymous, cache miss (first request)', headers: {}, samples: 1 },
    { request: 'anonymous, cache hit', headers: {}, samples: 20 },
    { request: 'signed in (session cookie), first request', headers: { cookie: member.cookie }, samples: 1 },
    { request: 'signed in (session cookie), again', headers: { cookie: member.cookie }, samples: 20 },
  ];
  const counts: QueryCount[] = [];
  for (const kind of kinds) {
    await ask(app, 'queries:start');
    let items = 0;
    for (let i = 0; i < kind.samples; i += 1) {
      const response = await fetch(url, { headers: kind.headers });
      const body = (await response.json()) as { items?: unknown[] };
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      items = body.items?.length ?? 0;
    }
    const recorded = await ask<RecordedRequest[]>(app, 'queries:take');
    if (recorded.length !== kind.samples) throw new Error(`expected ${kind.samples} requests, got ${recorded.length}`);
    const sizes = recorded.map((r) => r.queries.length);
    counts.push({
      request: kind.request,
      samples: kind.samples,
      status: recorded[0]!.status,
      items,
      statementsMin: Math.min(...sizes),
      statementsMax: Math.max(...sizes),
      serverMs: Number(median(recorded.map((r) => r.totalMs)).toFixed(2)),
      sqlMs: Number(median(recorded.map((r) => r.queries.reduce((sum, q) => sum + q.ms, 0))).toFixed(2)),
      statements: recorded[0]!.queries.map((q) => q.text.replace(/\s+/g, ' ').trim()),
    });
  }
  return counts;
}

/** Posts by `writer` in the case `slug`, WRITES_PER_SECOND a second, until `stop()`; resolves to how many. */
function writeWhile(origin: string, writer: Member, slug: string): { stop(): Promise<number> } {
  let written = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const started = Date.now();
      const response = await fetch(`${origin}/api/v1/cases/${slug}/posts`, {
        method: 'POST',
        headers: memberHeaders(writer),
        body: JSON.stringify({ body: `Written during the cache run, number ${written + 1}.` }),
      });
      await response.text();
      if (response.status !== 201) throw new Error(`writer: ${response.status}`);
      written += 1;
      const wait = 1000 / WRITES_PER_SECOND - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return written;
  })();
  return {
    stop() {
      running = false;
      return done;
    },
  };
}

async function cacheRun(
  name: string,
  options: { app: ChildProcess; origin: string; url: string; writer: Member; writeSlug: string; groups: CpuGroups },
): Promise<CacheUnderWrites> {
  const before = await ask<PublicCacheStats>(options.app, 'cache:stats');
  const writer = writeWhile(options.origin, options.writer, options.writeSlug);
  const read = await load(name, options.url, options.groups);
  const postsWritten = await writer.stop();
  const after = await ask<PublicCacheStats>(options.app, 'cache:stats');
  const stats: PublicCacheStats = {
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
    shared: after.shared - before.shared,
    invalidated: after.invalidated - before.invalidated,
  };
  const hitRate = stats.hits / Math.max(1, stats.hits + stats.misses + stats.shared);
  return { name, read, postsWritten, hitRate: Number(hitRate.toFixed(4)), stats };
}

export async function runReads(options: {
  app: ChildProcess;
  origin: string;
  bytes: ChildProcess;
  bytesOrigin: string;
  helloUrl: string;
  /** The thread read, and another case the writer posts in. */
  slug: string;
  otherSlug: string;
  seeded: SeededThread & { members: number };
  reader: Member;
  writer: Member;
  groups: { app: CpuGroups; bytes: CpuGroups; hello: CpuGroups };
  log: (line: string) => void;
}): Promise<ReadsResult> {
  const { log } = options;
  const url = `${options.origin}/api/v1/cases/${options.slug}/posts?limit=50`;
  const queries = await countQueries(options.app, url, options.reader);
  // The ceilings: the app's own answers, byte for byte, from a bare server.
  const anonymousBody = await (await fetch(url)).text();
  const signedInBody = await (await fetch(url, { headers: { cookie: options.reader.cookie } })).text();
  await ask(options.bytes, 'set', { path: '/thread-anonymous', body: anonymousBody });
  await ask(options.bytes, 'set', { path: '/thread-signed-in', body: signedInBody });

  // One 10 s run per server moved these ratios by 0.1-0.2 between runs on this shared machine, so
  // the four runs are repeated READS_ROUNDS times, taking turns, and each ratio is the median
  // round's (the table shows that round's runs; every round's ratio is listed under it).
  const rounds: { anonymous: Pair; signedIn: Pair }[] = [];
  for (let round = 1; round <= READS_ROUNDS; round += 1) {
    log(`reads: anonymous and signed-in thread reads beside the same bytes, round ${round} of ${READS_ROUNDS}`);
    const bytesAnonymous = await load(
      `bare Fastify, same ${Buffer.byteLength(anonymousBody)} bytes (anonymous answer)`,
      `${options.bytesOrigin}/thread-anonymous`,
      options.groups.bytes,
    );
    const anonymous = await load('posts, anonymous (public cache)', url, options.groups.app);
    const bytesSignedIn = await load(
      `bare Fastify, same ${Buffer.byteLength(signedInBody)} bytes (signed-in answer)`,
      `${options.bytesOrigin}/thread-signed-in`,
      options.groups.bytes,
    );
    const signedIn = await load('posts, signed in (session and own state in memory)', url, options.groups.app, {
      cookie: options.reader.cookie,
    });
    rounds.push({ anonymous: pair(anonymous, bytesAnonymous), signedIn: pair(signedIn, bytesSignedIn) });
  }
  const hello = await load('bare Fastify hello-world', options.helloUrl, options.groups.hello);

  log(`reads: the public cache while a writer posts ${WRITES_PER_SECOND} a second`);
  const common = { app: options.app, origin: options.origin, url, writer: options.writer, groups: options.groups.app };
  const cacheUnderWrites = [
    await cacheRun('anonymous reads, posts written in another case', { ...common, writeSlug: options.otherSlug }),
    await cacheRun('anonymous reads, posts written in this thread', { ...common, writeSlug: options.slug }),
  ];
  return {
    thread: options.seeded,
    anonymous: medianPair(rounds.map((r) => r.anonymous)),
    signedIn: medianPair(rounds.map((r) => r.signedIn)),
    hello,
    queries,
    cacheUnderWrites,
  };
}

export function readsMarkdown(r: ReadsResult): string[] {
  const s = r.thread;
  const lines = [
    '## GET /api/v1/cases/<slug>/posts?limit=50: anonymous and signed in, each beside the same bytes',
    '',
    `One case with ${s.posts} posts (${s.replies} replies, ${s.mentions} with a mention, ${s.reactions} reactions) ` +
      `by ${s.members} members, written through the API; one page returns all ${s.posts}. The ceiling of each read ` +
      'is a bare Fastify sending the very bytes of that answer from memory, in the same run (hello-world below for ' +
      'reference). Anonymous reads come from the public cache (its bytes kept); signed-in reads take the same page ' +
      'from the cache, the session and the reader’s own state (reactions, read marker, blocks) from memory, and ' +
      'append the reader’s fields to posts serialised once. One member’s session cookie on all connections.',
    '',
    ...httpTable([r.anonymous.bytes, r.anonymous.app, r.signedIn.bytes, r.signedIn.app, r.hello]),
  ];
  const line = (label: string, app: Result, ratio: number, target: number, rounds: number[]) =>
    `- ${label}: req/s ÷ same-bytes req/s = **${ratio}** (median of ${rounds.length} rounds: ${rounds.join(', ')}), target ≥ ${target}: ` +
    `${verdict(ratio >= target, ratio >= target ? 'yes' : `${(target / ratio).toFixed(2)}× short`)}; p99 ` +
    `${app.latencyP99Ms} ms, target ≤ ${READS_TARGETS.p99Ms} ms: ` +
    `${verdict(app.latencyP99Ms <= READS_TARGETS.p99Ms, `${app.latencyP99Ms} ms`)}; ÷ hello-world ` +
    `${(app.requestsPerSecond / Math.max(1, r.hello.requestsPerSecond)).toFixed(3)}`;
  lines.push(
    line('anonymous', r.anonymous.app, r.anonymous.ratio, READS_TARGETS.anonymousRatio, r.anonymous.rounds),
    line('signed in', r.signedIn.app, r.signedIn.ratio, READS_TARGETS.signedInRatio, r.signedIn.rounds),
    '',
    'SQL statements per request, counted in the app server (pg `Client.query` calls made inside the request’s',
    'async context), with requests sent one at a time on an otherwise idle server; times are medians:',
    '',
    '| request | samples | statements | time in server ms | of which waiting on SQL ms | items |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.queries.map(
      (q) =>
        `| ${q.request} | ${q.samples} | ${q.statementsMin === q.statementsMax ? q.statementsMin : `${q.statementsMin}–${q.statementsMax}`} | ` +
        `${q.serverMs} | ${q.sqlMs} | ${q.items} |`,
    ),
    '',
  );
  for (const q of r.queries.filter((q) => q.statements.length > 0)) {
    lines.push(
      `${q.request}:`,
      '',
      ...q.statements.map((text, i) => `${i + 1}. \`${text.slice(0, 110)}${text.length > 110 ? '…' : ''}\``),
      '',
    );
  }
  lines.push(
    `### The public cache under write load (${WRITES_PER_SECOND} posts a second by one member, ${DURATION_S} s runs)`,
    '',
    'Entries are dropped by the tags a committed activity touches (the case, its thread, its hubs’ lists and',
    'feeds, search), no longer all at once. Hit rate: reads answered from memory ÷ all reads of the cache',
    '(hits, loads, and reads that waited for a load), from the app’s own counters over the run.',
    '',
    '| run | req/s | p99 ms | posts written | hits | loads | waited | entries dropped | hit rate |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.cacheUnderWrites.map(
      (c) =>
        `| ${c.name} | ${c.read.requestsPerSecond} | ${c.read.latencyP99Ms} | ${c.postsWritten} | ${c.stats.hits} | ` +
        `${c.stats.misses} | ${c.stats.shared} | ${c.stats.invalidated} | ${(c.hitRate * 100).toFixed(2)} % |`,
    ),
    '',
  );
  return lines;
}
