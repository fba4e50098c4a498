/**
 * `npm run bench`: benchmarks on real PostgreSQL, each beside a baseline measured in the same run,
 * written to tests/load/reports/latest.{json,md}. Servers run in child processes on loopback; the
 * HTTP load generator (autocannon) runs here, the Socket.IO clients in a child of their own. Every
 * run is bounded in time and stops by itself.
 *
 * Settings (environment): BENCH_DURATION (seconds per autocannon run, 10), BENCH_FANOUT_CLIENTS
 * (1000), BENCH_FANOUT_POSTS (60), BENCH_FANOUT_WARMUP (10), BENCH_STORM_MEMBERS (1000), BENCH_READS_ROUNDS (5: the thread
 * reads' four runs are repeated, each ratio the median round's). BENCH_ONLY=library runs only the
 * case library's section (library.ts), written to tests/load/reports/library.{json,md};
 * BENCH_ONLY=reads only the thread reads' section (reads.ts), to tests/load/reports/reads.{json,md};
 * BENCH_ONLY=page the server-rendered case page's (page.ts, needs the built web app), written to
 * tests/load/reports/page.{json,md}; BENCH_ONLY=lighthouse the Lighthouse audits (lighthouse.ts),
 * written to tests/load/reports/lighthouse.{json,md}.
 * BENCH_ONLY=writers: concurrent writers (writers.ts), reports/writers.{json,md}. BENCH_ONLY=fanout:
 * fan-out to BENCH_FANOUT_SIZES sockets (1000,10000), BENCH_FANOUT_RUNS runs each (5), with a second
 * bare server beside them when BENCH_FANOUT_TWIN=1 (=durable: one that commits each post first), reports/fanout.{json,md}. BENCH_ONLY=feed (feed.ts) and BENCH_ONLY=sockets (sockets.ts). Every
 * run's reports are also copied to tests/load/reports/history/ (history.ts).
 * BENCH_ONLY=qa: the live Q&A at conference size (qa.ts: BENCH_QA_SECONDS, 120, for the ten
 * minutes of 100 questions and 2,000 votes; BENCH_QA_CLIENTS, 500 sockets; BENCH_QA_PROCESSES, 2 client
 * processes), reports/qa.{json,md}.
 * BENCH_ONLY=notify runs only the notifications section (notify.ts: BENCH_NOTIFY_FOLLOWERS, 20000;
 * BENCH_NOTIFY_POSTS, 6; BENCH_NOTIFY_PROBES, 40; BENCH_NOTIFY_LEGACY=0 skips the old writer), written to
 * tests/load/reports/notify.{json,md}; without BENCH_ONLY it runs after the rest, on its own PostgreSQL.
 * The sections and how each starts (sections.ts); a section alone runs on its own PostgreSQL (alone.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { withBench } from './alone.ts';
import { FANOUT_TARGET_P99_RATIO, runFanout } from './fanout.ts';
import { fanoutMarkdown } from './fanout-report.ts';
import { feedMarkdown, runFeed } from './feed.ts';
import { recordHistory, runStart } from './history.ts';
import { CONNECTIONS, DURATION_S, httpTable, load, positiveInteger } from './http.ts';
import { ask } from './ipc.ts';
import { libraryMarkdown } from './library.ts';
import { lighthouseMarkdown } from './lighthouse.ts';
import { pageMarkdown } from './page.ts';
import { qaFailed, qaMarkdown } from './qa-report.ts';
import { readsMarkdown } from './reads.ts';
import {
  FANOUT_POSTS,
  FANOUT_WARMUP,
  FANOUT_SLUG,
  librarySection,
  lighthouseSection,
  log,
  notifyOnly,
  only,
  pageSection,
  qaSection,
  readsRuns,
  readsSection,
  seededThread,
  startApp,
  startBare,
  THREAD_SLUG,
} from './sections.ts';
import { createCase, memberHeaders, type Member } from './seed.ts';
import { runSockets, socketsMarkdown } from './sockets.ts';
import { STORM_TARGET_P99_MS, runStorm, stormMarkdown } from './storm.ts';

const FANOUT_CLIENTS = positiveInteger('BENCH_FANOUT_CLIENTS', 1000);
const STORM_MEMBERS = positiveInteger('BENCH_STORM_MEMBERS', 1000);
const STORM_CAPACITY = 100;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Every section in one run, on one PostgreSQL (the feed's and sockets' on their own), to reports/latest.{json,md}. */
async function main() {
  const started = Date.now();
  await withBench(async (bench) => {
    const { app, origin: appOrigin } = await startApp(bench);
    const hello = await startBare(bench, './servers/hello.ts');

    log('creating members and seeding the thread through the API');
    const { organiser, posters, seeded } = await seededThread(app, appOrigin);
    await createCase(appOrigin, organiser, FANOUT_SLUG, 'Benchmark fan-out');

    log('HTTP benchmarks');
    const bare = await load('bare Fastify hello-world', `${hello.origin}/hello`, bench.groups(hello.server));
    const cases = await load(
      'GET /api/v1/cases (20 items, PostgreSQL)',
      `${appOrigin}/api/v1/cases?limit=20`,
      bench.groups(app),
    );
    const ratio = cases.requestsPerSecond / bare.requestsPerSecond;
    const reads = await readsSection(bench, { server: app, origin: appOrigin }, hello, {
      seeded,
      reader: posters[0]!,
      writer: posters[2]!,
    });

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
    const bareIo = await startBare(bench, './servers/bare-socketio.ts');
    const clientsOf = () => bench.start('./fanout-clients.ts', { raiseFileLimit: true });
    const clients = { app: await clientsOf(), bare: await clientsOf() };
    const fanout = await runFanout({
      clients,
      app: { server: app, origin: appOrigin, slug: FANOUT_SLUG, headers: memberHeaders(posters[1]!) },
      bare: { server: bareIo.server, origin: bareIo.origin },
      settings: {
        clients: FANOUT_CLIENTS,
        posts: FANOUT_POSTS,
        warmupPosts: FANOUT_WARMUP,
        gapMs: 300,
        timeoutMs: 15_000,
      },
      log,
    });

    const library = await librarySection(bench, app, appOrigin);
    const feed = await runFeed(log);
    const sockets = await runSockets(log);
    const casePage = await pageSection(bench);
    const lighthouse = await lighthouseSection(bench);
    const qa = await qaSection(bench);

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
      targets: { fanoutP99Ratio: FANOUT_TARGET_P99_RATIO, stormP99Ms: STORM_TARGET_P99_MS },
      benchmarks: [
        {
          name: 'cases list vs bare Fastify',
          results: [cases, bare],
          ratio: Number(ratio.toFixed(3)),
        },
        { name: 'thread reads vs the same bytes', slug: THREAD_SLUG, ...reads },
        { name: 'post fan-out vs bare Socket.IO', ...fanout },
        { name: 'RSVP storm', ...storm },
        { name: 'feed at scale', ...feed },
        { name: 'idle websocket memory', ...sockets },
        { name: 'case library at scale', ...library },
        { name: 'server-rendered case page', ...casePage },
        { name: 'lighthouse', ...lighthouse },
        { name: 'live Q&A at conference size', ...qa },
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
      ...readsMarkdown(reads),
      ...fanoutMarkdown(fanout),
      ...stormMarkdown(storm),
      ...libraryMarkdown(library),
      ...feedMarkdown(feed),
      ...socketsMarkdown(sockets),
      ...pageMarkdown(casePage),
      ...lighthouseMarkdown(lighthouse),
      ...qaMarkdown(qa),
    ].join('\n');

    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${dir}/latest.md`, md);
    console.log(md);
    console.log(`Report written to ${dir}/latest.{json,md}`);
    const libraryRuns = library.endpoints.flatMap((e) => [e.cached, e.uncached, e.bare]);
    const feedRuns = feed.http.flatMap((h) => [h.feed, h.bare]);
    const failed = [cases, ...readsRuns(reads), ...feedRuns, ...libraryRuns, ...casePage.http].some(
      (r) => r.errors > 0 || r.non2xx > 0,
    );
    const stormBroken = storm.errors > 0 || storm.going !== STORM_CAPACITY || !storm.positionsContiguous;
    const feedBroken = feed.queries.differences > 0 || sockets.app.dropped > 0 || sockets.bare.dropped > 0;
    if (failed || stormBroken || feedBroken || qaFailed(qa) || fanout.app.lost > 0 || fanout.bare.lost > 0)
      process.exitCode = 1;
  });
}

const start = runStart();
await (only[process.env.BENCH_ONLY ?? '']?.() ?? main().then(notifyOnly));
log(`history: ${recordHistory(here('./reports'), start).join(', ') || 'no report written'}`);
