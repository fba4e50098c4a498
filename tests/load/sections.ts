/**
 * The bench's sections as the full run (bench.ts) and BENCH_ONLY=<section> (alone.ts) both start
 * them: which servers each needs, beside which baseline. `only` lists the sections that run alone.
 */
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../infra/throwaway-postgres.ts';
import { alone, type Bench } from './alone.ts';
import { stopChild } from './children.ts';
import { runFanout, type FanoutResult } from './fanout.ts';
import { fanoutMarkdown } from './fanout-report.ts';
import { feedOnly } from './feed.ts';
import { DURATION_S, positiveInteger } from './http.ts';
import { ask } from './ipc.ts';
import { libraryMarkdown, runLibrary, type LibraryResult } from './library.ts';
import { matchesOnly } from './matches.ts';
import { lighthouseMarkdown, runLighthouse, type LighthouseResult } from './lighthouse.ts';
import { notifyMarkdown, runNotify } from './notify.ts';
import { pageMarkdown, runPage, type PageResult } from './page.ts';
import { QA_PROCESSES, runQa, type QaResult } from './qa.ts';
import { qaFailed, qaMarkdown } from './qa-report.ts';
import { readsMarkdown, runReads, type ReadsResult } from './reads.ts';
import { createCase, memberHeaders, seedThread, type Member, type SeededThread } from './seed.ts';
import { socketsOnly } from './sockets.ts';
import { runWriters, writersMarkdown } from './writers.ts';

export const THREAD_POSTS = 50;
export const THREAD_SLUG = 'bench-thread';
export const FANOUT_SLUG = 'bench-fanout';
/**
 * Posts measured in each fan-out run. A run's p99 is over every delivery of every post: with 20
 * posts, the slowest one or two posts set it (the 1,000-socket ratio went from 0.79 to 1.28 between
 * runs), so 60 by default.
 */
export const FANOUT_POSTS = positiveInteger('BENCH_FANOUT_POSTS', 60);
/**
 * Posts sent before those measured, on each side. With 2, the app's 3rd and 4th measured posts and
 * the bare server's 6th to 9th were the slowest of the run on average (mean per-post p99 over five
 * 1,000-socket runs: 46 and 38 ms against a median of 26 for the app's later posts; 37, 32 and 33
 * against 23 for the bare server's); from the 12th on, both are steady. 10: both sides measured warm.
 */
export const FANOUT_WARMUP = positiveInteger('BENCH_FANOUT_WARMUP', 10);
const READS_OTHER_SLUG = 'bench-reads-elsewhere';

export const log = (line: string) => console.log(`[bench] ${line}`);

/** Servers may be asked to collect their garbage in full (their `memory` message; fanout.ts before its warm-up). */
const GC = ['--expose-gc'];

/** The platform's API (servers/app.ts) on the bench's PostgreSQL, with its origin; `web`: the built web app too. */
export async function startApp(bench: Bench, web = false): Promise<{ app: ChildProcess; origin: string }> {
  const port = await freePort();
  const env = { DATABASE_URL: bench.postgresUrl, PORT: String(port), ...(web ? { BENCH_SERVE_WEB: 'true' } : {}) };
  return { app: await bench.start('./servers/app.ts', { env, nodeFlags: GC }), origin: `http://127.0.0.1:${port}` };
}

/** A bare server (servers/bytes.ts, hello.ts, bare-socketio.ts) on a port of its own, with its origin. */
export async function startBare(
  bench: Bench,
  script: string,
  env: Record<string, string> = {},
): Promise<{ server: ChildProcess; origin: string }> {
  const port = await freePort();
  return {
    server: await bench.start(script, { env: { ...env, PORT: String(port) }, nodeFlags: GC }),
    origin: `http://127.0.0.1:${port}`,
  };
}

/** The case library's section (library.ts): a bare server for the same bytes, beside `app`. */
export async function librarySection(bench: Bench, app: ChildProcess, appOrigin: string): Promise<LibraryResult> {
  const bytes = await startBare(bench, './servers/bytes.ts');
  return runLibrary({
    postgresUrl: bench.postgresUrl,
    appOrigin,
    bytes: bytes.server,
    bytesOrigin: bytes.origin,
    groups: { app: bench.groups(app), bytes: bench.groups(bytes.server) },
    log,
  });
}

/** The case page's section (page.ts): an app that serves the built web app, and a bare server for the same bytes. */
export async function pageSection(bench: Bench): Promise<PageResult> {
  const { app, origin } = await startApp(bench, true);
  const bytes = await startBare(bench, './servers/bytes.ts');
  return runPage({
    app,
    appOrigin: origin,
    bytes: bytes.server,
    bytesOrigin: bytes.origin,
    groups: { app: bench.groups(app), bytes: bench.groups(bytes.server) },
    log,
  });
}

/** The Lighthouse section (lighthouse.ts): an app that serves the built web app, with the demo data. */
export async function lighthouseSection(bench: Bench): Promise<LighthouseResult> {
  const { origin } = await startApp(bench, true);
  return runLighthouse({ origin, log });
}

/**
 * The live Q&A's section (qa.ts): an app and a bare Socket.IO server of its own, the watchers of both
 * in BENCH_QA_PROCESSES child processes (qa-clients.ts), counted in the CPU split as `socket clients`.
 */
export async function qaSection(bench: Bench): Promise<QaResult> {
  const { app, origin } = await startApp(bench);
  const bare = await startBare(bench, './servers/bare-socketio.ts');
  const clients: ChildProcess[] = [];
  for (let i = 0; i < QA_PROCESSES; i += 1) {
    clients.push(await bench.start('./qa-clients.ts', { raiseFileLimit: true }));
  }
  return runQa({
    app: { server: app, origin },
    bare,
    clients,
    groups: (server) => ({ ...bench.groups(server), 'socket clients': () => clients.map((c) => c.pid!) }),
    log,
  });
}

/** The runs of the reads section, for the error check. */
export const readsRuns = (r: ReadsResult) => [
  r.anonymous.app,
  r.signedIn.app,
  ...r.cacheUnderWrites.map((c) => c.read),
];

/** The thread reads' section (reads.ts): a bare server for the same bytes, beside `app` and hello-world. */
export async function readsSection(
  bench: Bench,
  app: { server: ChildProcess; origin: string },
  hello: { server: ChildProcess; origin: string },
  thread: { seeded: SeededThread & { members: number }; reader: Member; writer: Member },
): Promise<ReadsResult> {
  const bytes = await startBare(bench, './servers/bytes.ts');
  const members = await ask<Member[]>(app.server, 'members', { count: 1, prefix: 'bench-reads-organiser' });
  await createCase(app.origin, members[0]!, READS_OTHER_SLUG, 'Benchmark writes elsewhere');
  return runReads({
    app: app.server,
    origin: app.origin,
    bytes: bytes.server,
    bytesOrigin: bytes.origin,
    helloUrl: `${hello.origin}/hello`,
    slug: THREAD_SLUG,
    otherSlug: READS_OTHER_SLUG,
    ...thread,
    groups: { app: bench.groups(app.server), bytes: bench.groups(bytes.server), hello: bench.groups(hello.server) },
    log,
  });
}

/** A case with a thread of THREAD_POSTS posts by five members, written through the API (seed.ts). */
export async function seededThread(app: ChildProcess, origin: string) {
  const members = await ask<Member[]>(app, 'members', { count: 6, prefix: 'bench-member' });
  const [organiser, ...posters] = members as [Member, ...Member[]];
  await createCase(origin, organiser, THREAD_SLUG, 'Benchmark thread');
  const seeded = await seedThread(origin, THREAD_SLUG, posters, THREAD_POSTS);
  return { organiser, posters, seeded: { ...seeded, members: posters.length } };
}

const failedHttp = (runs: { errors: number; non2xx: number }[]) => runs.some((r) => r.errors > 0 || r.non2xx > 0);

/** BENCH_ONLY=notify: notifications at scale (notify.ts). */
export const notifyOnly = () =>
  alone(
    'notify',
    'notifications at scale',
    async (bench) => {
      const { app, origin } = await startApp(bench);
      return runNotify({ postgresUrl: bench.postgresUrl, origin, app, groups: bench.groups(app), log });
    },
    notifyMarkdown,
    () => false,
  );

interface FanoutRun {
  clients: number;
  run: number;
  ratioP99: number;
  fanout: FanoutResult;
}

/**
 * BENCH_ONLY=fanout: a post fanned out to BENCH_FANOUT_SIZES sockets (1000,10000) watching one case,
 * BENCH_FANOUT_RUNS times each (5), app beside bare Socket.IO in every run: the p99 ratio per run.
 */
async function fanoutRuns(bench: Bench): Promise<FanoutRun[]> {
  const sizes = (process.env.BENCH_FANOUT_SIZES ?? '1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const runsEach = positiveInteger('BENCH_FANOUT_RUNS', 5);
  const { app, origin } = await startApp(bench);
  const [organiser, poster] = await ask<Member[]>(app, 'members', { count: 2, prefix: 'fanout' });
  await createCase(origin, organiser!, FANOUT_SLUG, 'Benchmark fan-out');
  const bare = await startBare(bench, './servers/bare-socketio.ts');
  // BENCH_FANOUT_TWIN=1: a second bare server beside them, to see how far two identical ones differ;
  // =durable: one that commits each post to PostgreSQL (one INSERT) before it emits.
  const twinKind = process.env.BENCH_FANOUT_TWIN ?? '';
  if (!['', '1', 'durable'].includes(twinKind)) {
    throw new Error(`BENCH_FANOUT_TWIN must be 1 or durable (got "${twinKind}")`);
  }
  const durable = twinKind === 'durable';
  const twin =
    twinKind !== ''
      ? await startBare(bench, './servers/bare-socketio.ts', durable ? { DURABLE_DATABASE_URL: bench.postgresUrl } : {})
      : null;
  const results: FanoutRun[] = [];
  for (const clients of sizes) {
    for (let run = 1; run <= runsEach; run += 1) {
      const clientsOf = () => bench.start('./fanout-clients.ts', { raiseFileLimit: true });
      const processes = {
        app: await clientsOf(),
        bare: await clientsOf(),
        ...(twin ? { twin: await clientsOf() } : {}),
      };
      const fanout = await runFanout({
        clients: processes,
        app: { server: app, origin, slug: FANOUT_SLUG, headers: memberHeaders(poster!) },
        bare: { server: bare.server, origin: bare.origin },
        ...(twin ? { twin: { server: twin.server, origin: twin.origin, durable } } : {}),
        settings: { clients, posts: FANOUT_POSTS, warmupPosts: FANOUT_WARMUP, gapMs: 300, timeoutMs: 15_000 },
        log,
      });
      await Promise.all(Object.values(processes).map(stopChild));
      const twinRatio = fanout.twinRatioP99 === undefined ? '' : ` (twin ÷ bare ${fanout.twinRatioP99.toFixed(3)})`;
      log(`fan-out ${clients} sockets, run ${run}: p99 ratio ${fanout.ratioP99.toFixed(3)}${twinRatio}`);
      results.push({ clients, run, ratioP99: fanout.ratioP99, fanout });
    }
  }
  return results;
}

const fanoutRunsMarkdown = (results: FanoutRun[]) => [
  `${FANOUT_POSTS} posts measured per run (BENCH_FANOUT_POSTS), after ${FANOUT_WARMUP} warm-up posts on each side (BENCH_FANOUT_WARMUP).`,
  '',
  ...(results.some((r) => r.fanout.twin)
    ? [
        `With a ${results.some((r) => r.fanout.twinDurable) ? 'durable twin (BENCH_FANOUT_TWIN=durable)' : 'twin (BENCH_FANOUT_TWIN=1)'}, twin p99 ÷ bare p99 per run: ` +
          `${results.map((r) => `${r.clients}: ${r.fanout.twinRatioP99?.toFixed(3)}`).join(', ')}.`,
        '',
      ]
    : []),
  '| sockets | run | app p99 ms | bare p99 ms | p99 ratio app/bare | app p50 ms | bare p50 ms | lost (app/bare) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    ({ clients, run, fanout: f }) =>
      `| ${clients} | ${run} | ${f.app.latencyMs.p99} | ${f.bare.latencyMs.p99} | **${f.ratioP99.toFixed(3)}** | ` +
      `${f.app.latencyMs.p50} | ${f.bare.latencyMs.p50} | ${f.app.lost}/${f.bare.lost} |`,
  ),
  '',
  ...results.flatMap(({ clients, run, fanout }) => [
    `### ${clients} sockets, run ${run}`,
    '',
    ...fanoutMarkdown(fanout),
  ]),
];

/** BENCH_ONLY=<name>: each section alone, on its own PostgreSQL. */
export const only: Record<string, () => Promise<void>> = {
  library: () =>
    alone(
      'library',
      'the case library',
      async (bench) => {
        const { app, origin } = await startApp(bench);
        return librarySection(bench, app, origin);
      },
      libraryMarkdown,
      (library) => failedHttp(library.endpoints.flatMap((e) => [e.cached, e.uncached, e.bare])),
    ),
  reads: () =>
    alone(
      'reads',
      'thread reads',
      async (bench) => {
        const app = await startApp(bench);
        const hello = await startBare(bench, './servers/hello.ts');
        const { posters, seeded } = await seededThread(app.app, app.origin);
        return readsSection(bench, { server: app.app, origin: app.origin }, hello, {
          seeded,
          reader: posters[0]!,
          writer: posters[2]!,
        });
      },
      readsMarkdown,
      (reads) => failedHttp(readsRuns(reads)),
    ),
  page: () => alone('page', 'the case page', pageSection, pageMarkdown, (page) => failedHttp(page.http)),
  lighthouse: () => alone('lighthouse', 'Lighthouse', lighthouseSection, lighthouseMarkdown, () => false),
  notify: notifyOnly,
  writers: () =>
    alone(
      'writers',
      'concurrent writers',
      async (bench) => {
        const { app, origin } = await startApp(bench);
        const [organiser, ...members] = await ask<Member[]>(app, 'members', { count: 9, prefix: 'writer' });
        return runWriters({
          origin,
          organiser: organiser!,
          members,
          groups: bench.groups(app),
          seconds: DURATION_S,
          log,
        });
      },
      writersMarkdown,
      (writers) => writers.runs.some((r) => r.errors > 0),
    ),
  fanout: () =>
    alone('fanout', 'post fan-out', fanoutRuns, fanoutRunsMarkdown, (results) =>
      results.some((r) => r.fanout.app.lost > 0 || r.fanout.bare.lost > 0),
    ),
  feed: () => feedOnly(log),
  sockets: () => socketsOnly(log),
  matches: () => matchesOnly(log),
  qa: () => alone('qa', 'live Q&A at conference size', qaSection, qaMarkdown, qaFailed),
};
