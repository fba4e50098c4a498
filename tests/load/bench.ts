/**
 * `npm run bench`: benchmarks on real PostgreSQL, each beside a baseline measured in the same run,
 * written to tests/load/reports/latest.{json,md}. Servers run in child processes on loopback; the
 * HTTP load generator (autocannon) runs here, the Socket.IO clients in a child of their own. Every
 * run is bounded in time and stops by itself.
 *
 * Settings (environment): BENCH_DURATION (seconds per autocannon run, 10), BENCH_FANOUT_CLIENTS
 * (1000), BENCH_FANOUT_POSTS (20), BENCH_STORM_MEMBERS (1000). BENCH_ONLY=library runs only the
 * case library's section (library.ts), written to tests/load/reports/library.{json,md}; likewise
 * BENCH_ONLY=feed (feed.ts) and BENCH_ONLY=sockets (sockets.ts). Every run's reports are also
 * copied to tests/load/reports/history/ (history.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';
import { withChildren, type CpuGroups } from './cpu.ts';
import { CONNECTIONS, DURATION_S, httpTable, load, positiveInteger, type Result } from './http.ts';
import { runFanout, type FanoutResult, type FanoutSide } from './fanout.ts';
import { ask } from './ipc.ts';
import { createCase, memberHeaders, seedThread, type Member, type SeededThread } from './seed.ts';
import { runStorm, type StormResult } from './storm.ts';
import { feedMarkdown, feedOnly, runFeed } from './feed.ts';
import { recordHistory, runStart } from './history.ts';
import { runSockets, socketsMarkdown, socketsOnly } from './sockets.ts';
import { libraryMarkdown, runLibrary, type LibraryResult } from './library.ts';
import type { RecordedRequest } from './servers/app.ts';

const FANOUT_CLIENTS = positiveInteger('BENCH_FANOUT_CLIENTS', 1000);
const FANOUT_POSTS = positiveInteger('BENCH_FANOUT_POSTS', 20);
const THREAD_POSTS = 50;
const THREAD_SLUG = 'bench-thread';
const FANOUT_SLUG = 'bench-fanout';
const STORM_MEMBERS = positiveInteger('BENCH_STORM_MEMBERS', 1000);
const STORM_CAPACITY = 100;
const TARGETS = { postsRatio: 0.3, postsP99Ms: 20, fanoutP99Ratio: 1.5, stormP99Ms: 500 };
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const log = (line: string) => console.log(`[bench] ${line}`);

async function startServer(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(here(script), { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 120 s`)), 120_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

/** The PostgreSQL cluster's processes: the postmaster (from its data directory's pid file) and its children. */
async function postgresProcesses(url: string): Promise<() => number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>('show data_directory');
    const pid = Number(readFileSync(`${rows[0]!.data_directory}/postmaster.pid`, 'utf8').split('\n')[0]);
    return withChildren(pid);
  } finally {
    await client.end();
  }
}

interface QueryCount {
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

/** Requests of each kind, one at a time, with the app counting and timing the SQL statements each sends. */
async function countQueries(app: ChildProcess, url: string, member: Member): Promise<QueryCount[]> {
  const kinds: { request: string; headers: Record<string, string>; samples: number }[] = [
    { request: 'anonymous, cache miss (first request)', headers: {}, samples: 1 },
    { request: 'anonymous, cache hit', headers: {}, samples: 20 },
    { request: 'signed in (session cookie)', headers: { cookie: member.cookie }, samples: 20 },
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

const verdict = (met: boolean, detail: string) => (met ? `met (${detail})` : `**missed** (${detail})`);

function postsMarkdown(
  posts: { anonymous: Result; signedIn: Result },
  bare: Result,
  queries: QueryCount[],
  seeded: SeededThread & { members: number },
): string[] {
  const lines = [
    `## GET /api/v1/cases/<slug>/posts?limit=50 on PostgreSQL vs a bare Fastify hello-world`,
    '',
    `One case with ${seeded.posts} posts (${seeded.replies} replies, ${seeded.mentions} with a mention, ` +
      `${seeded.reactions} reactions) by ${seeded.members} members, written through the API; one page returns all ` +
      `${seeded.posts}. Anonymous requests go through the public read cache (emptied on every committed activity, ` +
      'and after 5 s at most), so under load nearly all are answered from memory. Signed-in requests take the same ' +
      'public page from the cache and read what is personal (the member’s own reactions and read marker) from ' +
      'PostgreSQL on every request, after the session lookup. The signed-in run uses one member’s session cookie ' +
      'on all connections.',
    '',
    ...httpTable([posts.anonymous, posts.signedIn, bare]),
  ];
  for (const r of [posts.anonymous, posts.signedIn]) {
    const ratio = r.requestsPerSecond / bare.requestsPerSecond;
    lines.push(
      `- ${r.name}: req/s ÷ bare req/s = **${ratio.toFixed(3)}**, target ≥ ${TARGETS.postsRatio}: ` +
        `${verdict(ratio >= TARGETS.postsRatio, ratio >= TARGETS.postsRatio ? 'yes' : `${(TARGETS.postsRatio / ratio).toFixed(1)}× short`)}; ` +
        `p99 ${r.latencyP99Ms} ms, target ≤ ${TARGETS.postsP99Ms} ms: ` +
        `${verdict(r.latencyP99Ms <= TARGETS.postsP99Ms, r.latencyP99Ms <= TARGETS.postsP99Ms ? 'yes' : `${r.latencyP99Ms - TARGETS.postsP99Ms} ms over`)}`,
    );
  }
  lines.push(
    '',
    'SQL statements per request, counted in the app server (pg `Client.query` calls made inside the request’s',
    'async context), with requests sent one at a time on an otherwise idle server; times are medians:',
    '',
    '| request | samples | statements | time in server ms | of which waiting on SQL ms | items |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...queries.map(
      (q) =>
        `| ${q.request} | ${q.samples} | ${q.statementsMin === q.statementsMax ? q.statementsMin : `${q.statementsMin}–${q.statementsMax}`} | ` +
        `${q.serverMs} | ${q.sqlMs} | ${q.items} |`,
    ),
    '',
  );
  for (const q of queries.filter((q) => q.statements.length > 0)) {
    lines.push(
      `${q.request}:`,
      '',
      ...q.statements.map((text, i) => `${i + 1}. \`${text.slice(0, 110)}${text.length > 110 ? '…' : ''}\``),
      '',
    );
  }
  return lines;
}

function fanoutMarkdown(f: FanoutResult): string[] {
  const side = (s: FanoutSide) =>
    `| ${s.name} | ${s.delivered}/${s.expected} | ${s.lost} | ${s.latencyMs.p50} | ${s.latencyMs.p90} | ${s.latencyMs.p99} | ${s.latencyMs.max} |`;
  const phase = (label: string, key: keyof FanoutSide['phasesMs']) =>
    `| ${label} | ${f.app.phasesMs[key]} | ${f.bare.phasesMs[key]} |`;
  return [
    `## Fan-out of a new post to ${f.settings.clients} Socket.IO clients watching one case`,
    '',
    `${f.settings.clients} clients (websocket transport, one child process) on each server, all in one room; ` +
      `${f.settings.posts} posts measured after ${f.settings.warmupPosts} warm-up, one at a time (each waits for ` +
      `all its deliveries, then ${f.settings.gapMs} ms of quiet), the app and the bare server taking turns. ` +
      `Latency: from just before the triggering HTTP request is sent to each client’s \`post:created\`; ` +
      `payload ${f.payloadBytes} bytes of JSON (the app’s own post, re-sent by the bare server).`,
    '',
    '| server | delivered | lost | p50 ms | p90 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    side(f.app),
    side(f.bare),
    '',
    `Ratio app p99 ÷ bare p99 (same run): **${f.ratioP99.toFixed(3)}**, target ≤ ${TARGETS.fanoutP99Ratio}: ` +
      `${verdict(f.ratioP99 <= TARGETS.fanoutP99Ratio, `${f.ratioP99.toFixed(3)}`)}. p50 ratio: ${f.ratioP50.toFixed(3)}.`,
    '',
    `Late deliveries (after the ${f.settings.timeoutMs / 1000} s wait, counted as delivered): app ${f.app.late}, bare ${f.bare.late}; ` +
      `duplicates: app ${f.app.duplicates}, bare ${f.bare.duplicates}; connections dropped: app ${f.app.droppedConnections}, ` +
      `bare ${f.bare.droppedConnections}. Connecting and watching took ${f.app.connectSeconds} s (app) and ` +
      `${f.bare.connectSeconds} s (bare).`,
    '',
    'Where the time goes (medians over the measured posts, ms; server-side instants from the servers’ own',
    'instrumentation on the shared monotonic clock):',
    '',
    '| phase | app | bare |',
    '| --- | ---: | ---: |',
    phase('request sent → request reaches the server', 'requestToServer'),
    phase(
      'request reaches the server → emit starts (app: post written, outbox read, post loaded)',
      'serverToEmitStart',
    ),
    phase('emit call (frames written to every socket of the room)', 'emitCall'),
    phase('emit starts → first client receives', 'emitStartToFirstReceipt'),
    phase('emit ends → last client receives', 'emitEndToLastReceipt'),
    phase('request sent → its response received', 'triggerAnswered'),
    '',
    `Each measured post on the app sent ${range(f.appPostSql.statementsMin, f.appPostSql.statementsMax)} SQL statements ` +
      `inside its request (sign-in check, the post's transaction, reading it back, the outbox read and the live ` +
      `thread's load when this request's outbox read delivered it); median ${f.appPostSql.serverMs.toFixed(2)} ms in ` +
      `the server, of which ${f.appPostSql.sqlMs.toFixed(2)} ms waiting on SQL. The first one's statements:`,
    '',
    ...f.appPostSql.statements.map((text, i) => `${i + 1}. \`${text.slice(0, 110)}${text.length > 110 ? '…' : ''}\``),
    '',
  ];
}

function range(min: number, max: number): string {
  return min === max ? String(min) : `${min}–${max}`;
}

function stormMarkdown(r: StormResult): string[] {
  return [
    `## The RSVP storm: ${r.members} members answer "going" at once for ${r.capacity} seats`,
    '',
    'Every member’s keep-alive connection is opened first; then all the PUT /api/v1/events/:slug/rsvp',
    'requests are written together. Latency is per request, from writing it to the end of its response.',
    '',
    '| requests | wall time | req/s | p50 | p99 | max | errors | going | waitlisted | positions 1..n |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.members} | ${r.wallMs} ms | ${r.requestsPerSecond} | ${r.latencyP50Ms} ms | ${r.latencyP99Ms} ms | ` +
      `${r.latencyMaxMs} ms | ${r.errors} | ${r.going} | ${r.waitlisted} | ${r.positionsContiguous ? 'yes' : 'no'} |`,
    '',
    `Target p99 ≤ ${TARGETS.stormP99Ms} ms with 0 errors: ` +
      verdict(
        r.latencyP99Ms <= TARGETS.stormP99Ms && r.errors === 0 && r.going === r.capacity,
        `p99 ${r.latencyP99Ms} ms, ${r.errors} errors, ${r.going} going`,
      ),
    '',
  ];
}

/** The case library's section (library.ts): a bare server for the same bytes, beside `app`. */
async function librarySection(
  postgresUrl: string,
  app: ChildProcess,
  appOrigin: string,
  children: ChildProcess[],
): Promise<LibraryResult> {
  const bytesPort = await freePort();
  const bytes = await startServer('./servers/bytes.ts', { PORT: String(bytesPort) });
  children.push(bytes);
  const pgPids = await postgresProcesses(postgresUrl);
  const groups = (server: ChildProcess): CpuGroups => ({
    server: () => [server.pid!],
    postgres: pgPids,
    'load generator': () => [process.pid],
  });
  return runLibrary({
    postgresUrl,
    appOrigin,
    bytes,
    bytesOrigin: `http://127.0.0.1:${bytesPort}`,
    groups: { app: groups(app), bytes: groups(bytes) },
    log,
  });
}

/** BENCH_ONLY=library: the case library's section alone, on its own PostgreSQL. */
async function libraryOnly() {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const appPort = await freePort();
    const app = await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) });
    children.push(app);
    const library = await librarySection(postgres.url, app, `http://127.0.0.1:${appPort}`, children);
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      '# Benchmark report: the case library (BENCH_ONLY=library)',
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up; servers, PostgreSQL and load ` +
        `generators share the machine. The whole run took ${totalSeconds} s.`,
      '',
      ...libraryMarkdown(library),
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/library.json`, `${JSON.stringify({ date, totalSeconds, library }, null, 2)}\n`);
    writeFileSync(`${dir}/library.md`, md);
    console.log(md);
    const runs = library.endpoints.flatMap((e) => [e.cached, e.uncached, e.bare]);
    if (runs.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

async function main() {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const [appPort, helloPort, barePort] = [await freePort(), await freePort(), await freePort()];
    const appOrigin = `http://127.0.0.1:${appPort}`;
    children.push(await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) }));
    const app = children[0]!;
    children.push(await startServer('./servers/hello.ts', { PORT: String(helloPort) }));
    const hello = children[1]!;

    log('creating members and seeding the thread through the API');
    const members = await ask<Member[]>(app, 'members', { count: 6, prefix: 'bench-member' });
    const [organiser, ...posters] = members as [Member, ...Member[]];
    await createCase(appOrigin, organiser, THREAD_SLUG, 'Benchmark thread');
    await createCase(appOrigin, organiser, FANOUT_SLUG, 'Benchmark fan-out');
    const seeded = await seedThread(appOrigin, THREAD_SLUG, posters, THREAD_POSTS);
    const postsUrl = `${appOrigin}/api/v1/cases/${THREAD_SLUG}/posts?limit=50`;
    const queries = await countQueries(app, postsUrl, posters[0]!);

    log('HTTP benchmarks');
    const pgPids = await postgresProcesses(postgres.url);
    const groups = (server: ChildProcess): CpuGroups => ({
      server: () => [server.pid!],
      postgres: pgPids,
      'load generator': () => [process.pid],
    });
    const bare = await load('bare Fastify hello-world', `http://127.0.0.1:${helloPort}/hello`, groups(hello));
    const cases = await load(
      'GET /api/v1/cases (20 items, PostgreSQL)',
      `${appOrigin}/api/v1/cases?limit=20`,
      groups(app),
    );
    const ratio = cases.requestsPerSecond / bare.requestsPerSecond;
    const posts = {
      anonymous: await load('posts, anonymous (public cache)', postsUrl, groups(app)),
      signedIn: await load('posts, signed in (own reactions and read marker from PostgreSQL)', postsUrl, groups(app), {
        cookie: posters[0]!.cookie,
      }),
    };

    log(`RSVP storm: ${STORM_MEMBERS} members, ${STORM_CAPACITY} seats`);
    const stormMembers = await ask<Member[]>(app, 'bulk-members', { count: STORM_MEMBERS, prefix: 'storm' });
    const storm = await runStorm({
      origin: appOrigin,
      organiser,
      members: stormMembers,
      capacity: STORM_CAPACITY,
      slug: 'bench-storm',
    });
    log(`storm: p99 ${storm.latencyP99Ms} ms, ${storm.going} going, ${storm.waitlisted} waitlisted`);

    log(`fan-out: ${FANOUT_CLIENTS} clients, ${FANOUT_POSTS} posts`);
    children.push(await startServer('./servers/bare-socketio.ts', { PORT: String(barePort) }));
    const bareIo = children[children.length - 1]!;
    children.push(await startServer('./fanout-clients.ts', {}));
    const clients = children[children.length - 1]!;
    const fanout = await runFanout({
      clients,
      app: { server: app, origin: appOrigin, slug: FANOUT_SLUG, headers: memberHeaders(posters[1]!) },
      bare: { server: bareIo, origin: `http://127.0.0.1:${barePort}` },
      settings: { clients: FANOUT_CLIENTS, posts: FANOUT_POSTS, warmupPosts: 2, gapMs: 300, timeoutMs: 15_000 },
      log,
    });

    const library = await librarySection(postgres.url, app, appOrigin, children);
    const feed = await runFeed(log);
    const sockets = await runSockets(log);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: {
        durationSeconds: DURATION_S,
        connections: CONNECTIONS,
        fanoutClients: FANOUT_CLIENTS,
        fanoutPosts: FANOUT_POSTS,
        stormMembers: STORM_MEMBERS,
      },
      targets: TARGETS,
      benchmarks: [
        {
          name: 'cases list vs bare Fastify',
          results: [cases, bare],
          ratio: Number(ratio.toFixed(3)),
        },
        {
          name: 'posts list vs bare Fastify',
          thread: { slug: THREAD_SLUG, ...seeded, members: posters.length },
          results: [posts.anonymous, posts.signedIn, bare],
          ratios: {
            anonymous: Number((posts.anonymous.requestsPerSecond / bare.requestsPerSecond).toFixed(3)),
            signedIn: Number((posts.signedIn.requestsPerSecond / bare.requestsPerSecond).toFixed(3)),
          },
          queriesPerRequest: queries,
        },
        { name: 'post fan-out vs bare Socket.IO', ...fanout },
        { name: 'RSVP storm', ...storm },
        { name: 'feed at scale', ...feed },
        { name: 'idle websocket memory', ...sockets },
        { name: 'case library at scale', ...library },
      ],
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    const md = [
      '# Benchmark report',
      '',
      `${report.date} — ${report.machine.cpus} cores (${report.machine.model}), Node ${report.machine.node}; ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up; servers, PostgreSQL and load ` +
        `generators share the machine. The whole run took ${report.totalSeconds} s.`,
      '',
      '## GET /api/v1/cases (20 items) on PostgreSQL vs a bare Fastify hello-world',
      '',
      ...httpTable([cases, bare]),
      `Ratio (cases req/s ÷ bare req/s, same run): **${ratio.toFixed(3)}**`,
      '',
      'The list is public and not personal, so after the first request it is served from the public read cache',
      '(emptied on every node by each committed activity, and after 5 s at most); this is the warm path people hit.',
      '',
      ...postsMarkdown(posts, bare, queries, { ...seeded, members: posters.length }),
      ...fanoutMarkdown(fanout),
      ...stormMarkdown(storm),
      ...libraryMarkdown(library),
      ...feedMarkdown(feed),
      ...socketsMarkdown(sockets),
    ].join('\n');

    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${dir}/latest.md`, md);
    console.log(md);
    console.log(`Report written to ${dir}/latest.{json,md}`);
    const libraryRuns = library.endpoints.flatMap((e) => [e.cached, e.uncached, e.bare]);
    const feedRuns = feed.http.flatMap((h) => [h.feed, h.bare]);
    const failed = [cases, posts.anonymous, posts.signedIn, ...feedRuns, ...libraryRuns].some(
      (r) => r.errors > 0 || r.non2xx > 0,
    );
    const stormBroken = storm.errors > 0 || storm.going !== STORM_CAPACITY || !storm.positionsContiguous;
    const feedBroken = feed.queries.differences > 0 || sockets.app.dropped > 0 || sockets.bare.dropped > 0;
    if (failed || stormBroken || feedBroken || fanout.app.lost > 0 || fanout.bare.lost > 0) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

const start = runStart();
const only = process.env.BENCH_ONLY;
if (only === 'library') await libraryOnly();
else if (only === 'feed') await feedOnly(log);
else if (only === 'sockets') await socketsOnly(log);
else await main();
log(`history: ${recordHistory(here('./reports'), start).join(', ') || 'no report written'}`);
