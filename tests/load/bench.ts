/**
 * `npm run bench`: benchmarks on real PostgreSQL, each beside a baseline measured in the same run,
 * written to tests/load/reports/latest.{json,md}. Servers run in child processes on loopback; the
 * HTTP load generator (autocannon) runs here, the Socket.IO clients in a child of their own. Every
 * run is bounded in time and stops by itself.
 *
 * Settings (environment): BENCH_DURATION (seconds per autocannon run, 10), BENCH_FANOUT_CLIENTS
 * (1000), BENCH_FANOUT_POSTS (20), BENCH_STORM_MEMBERS (1000). BENCH_ONLY=library runs only the
 * case library's section (library.ts), written to tests/load/reports/library.{json,md};
 * BENCH_ONLY=reads only the thread reads' section (reads.ts), to tests/load/reports/reads.{json,md};
 * BENCH_ONLY=page the server-rendered case page's (page.ts, needs the built web app), written to
 * tests/load/reports/page.{json,md}; BENCH_ONLY=lighthouse the Lighthouse audits (lighthouse.ts),
 * written to tests/load/reports/lighthouse.{json,md}.
 * BENCH_ONLY=writers: concurrent writers (writers.ts), reports/writers.{json,md}. BENCH_ONLY=fanout:
 * fan-out to BENCH_FANOUT_SIZES sockets (1000,10000), BENCH_FANOUT_RUNS runs each (5),
 * reports/fanout.{json,md}. BENCH_ONLY=feed (feed.ts) and BENCH_ONLY=sockets (sockets.ts). Every
 * run's reports are also copied to tests/load/reports/history/ (history.ts).
 * BENCH_ONLY=notify runs only the notifications section (notify.ts: BENCH_NOTIFY_FOLLOWERS, 20000;
 * BENCH_NOTIFY_POSTS, 6; BENCH_NOTIFY_PROBES, 40; BENCH_NOTIFY_LEGACY=0 skips the old writer), written to
 * tests/load/reports/notify.{json,md}; without BENCH_ONLY it runs after the rest, on its own PostgreSQL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';
import { withChildren, type CpuGroups } from './cpu.ts';
import { CONNECTIONS, DURATION_S, httpTable, load, positiveInteger } from './http.ts';
import { runFanout, type FanoutResult, type FanoutSide } from './fanout.ts';
import { ask } from './ipc.ts';
import { createCase, memberHeaders, seedThread, type Member, type SeededThread } from './seed.ts';
import { runStorm, type StormResult } from './storm.ts';
import { feedMarkdown, feedOnly, runFeed } from './feed.ts';
import { recordHistory, runStart } from './history.ts';
import { runSockets, socketsMarkdown, socketsOnly } from './sockets.ts';
import { libraryMarkdown, runLibrary, type LibraryResult } from './library.ts';
import { readsMarkdown, runReads, type ReadsResult } from './reads.ts';
import { pageMarkdown, runPage, type PageResult } from './page.ts';
import { lighthouseMarkdown, runLighthouse, type LighthouseResult } from './lighthouse.ts';
import { notifyMarkdown, runNotify } from './notify.ts';
import { runWriters, writersMarkdown } from './writers.ts';

const FANOUT_CLIENTS = positiveInteger('BENCH_FANOUT_CLIENTS', 1000);
const FANOUT_POSTS = positiveInteger('BENCH_FANOUT_POSTS', 20);
const THREAD_POSTS = 50;
const THREAD_SLUG = 'bench-thread';
const FANOUT_SLUG = 'bench-fanout';
const READS_OTHER_SLUG = 'bench-reads-elsewhere';
const STORM_MEMBERS = positiveInteger('BENCH_STORM_MEMBERS', 1000);
const STORM_CAPACITY = 100;
const TARGETS = { fanoutP99Ratio: 1.5, stormP99Ms: 500 };
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

const verdict = (met: boolean, detail: string) => (met ? `met (${detail})` : `**missed** (${detail})`);

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

/** The case page's section (page.ts): an app that serves the built web app, and a bare server for the same bytes. */
async function pageSection(postgresUrl: string, children: ChildProcess[]): Promise<PageResult> {
  const [appPort, bytesPort] = [await freePort(), await freePort()];
  const env = { DATABASE_URL: postgresUrl, PORT: String(appPort), BENCH_SERVE_WEB: 'true' };
  const app = await startServer('./servers/app.ts', env);
  children.push(app);
  const bytes = await startServer('./servers/bytes.ts', { PORT: String(bytesPort) });
  children.push(bytes);
  const pgPids = await postgresProcesses(postgresUrl);
  const groups = (server: ChildProcess): CpuGroups => ({
    server: () => [server.pid!],
    postgres: pgPids,
    'load generator': () => [process.pid],
  });
  return runPage({
    app,
    appOrigin: `http://127.0.0.1:${appPort}`,
    bytes,
    bytesOrigin: `http://127.0.0.1:${bytesPort}`,
    groups: { app: groups(app), bytes: groups(bytes) },
    log,
  });
}

/** The Lighthouse section (lighthouse.ts): an app that serves the built web app, with the demo data. */
async function lighthouseSection(postgresUrl: string, children: ChildProcess[]): Promise<LighthouseResult> {
  const appPort = await freePort();
  const env = { DATABASE_URL: postgresUrl, PORT: String(appPort), BENCH_SERVE_WEB: 'true' };
  children.push(await startServer('./servers/app.ts', env));
  return runLighthouse({ origin: `http://127.0.0.1:${appPort}`, log });
}

/** BENCH_ONLY=page or lighthouse: that section alone, on its own PostgreSQL. */
async function sectionOnly(section: 'page' | 'lighthouse') {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const result =
      section === 'page' ? await pageSection(postgres.url, children) : await lighthouseSection(postgres.url, children);
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      `# Benchmark report: ${section === 'page' ? 'the case page' : 'Lighthouse'} (BENCH_ONLY=${section})`,
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up; servers, PostgreSQL and load ` +
        `generators share the machine. The whole run took ${totalSeconds} s; load average at the end ` +
        `${loadavg()
          .map((l) => l.toFixed(1))
          .join(', ')}.`,
      '',
      ...(section === 'page' ? pageMarkdown(result as PageResult) : lighthouseMarkdown(result as LighthouseResult)),
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${section}.json`, `${JSON.stringify({ date, totalSeconds, [section]: result }, null, 2)}\n`);
    writeFileSync(`${dir}/${section}.md`, md);
    console.log(md);
    if (section === 'page' && (result as PageResult).http.some((r) => r.errors > 0 || r.non2xx > 0)) {
      process.exitCode = 1;
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
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

/** The runs of the reads section, for the error check. */
const readsRuns = (r: ReadsResult) => [r.anonymous.app, r.signedIn.app, ...r.cacheUnderWrites.map((c) => c.read)];

/** The thread reads' section (reads.ts): a bare server for the same bytes, beside `app` and hello-world. */
async function readsSection(
  postgresUrl: string,
  app: ChildProcess,
  appOrigin: string,
  helloUrl: string,
  hello: ChildProcess,
  children: ChildProcess[],
  thread: { seeded: SeededThread & { members: number }; reader: Member; writer: Member },
): Promise<ReadsResult> {
  const bytesPort = await freePort();
  const bytes = await startServer('./servers/bytes.ts', { PORT: String(bytesPort) });
  children.push(bytes);
  const members = await ask<Member[]>(app, 'members', { count: 1, prefix: 'bench-reads-organiser' });
  await createCase(appOrigin, members[0]!, READS_OTHER_SLUG, 'Benchmark writes elsewhere');
  const pgPids = await postgresProcesses(postgresUrl);
  const groups = (server: ChildProcess): CpuGroups => ({
    server: () => [server.pid!],
    postgres: pgPids,
    'load generator': () => [process.pid],
  });
  return runReads({
    app,
    origin: appOrigin,
    bytes,
    bytesOrigin: `http://127.0.0.1:${bytesPort}`,
    helloUrl,
    slug: THREAD_SLUG,
    otherSlug: READS_OTHER_SLUG,
    ...thread,
    groups: { app: groups(app), bytes: groups(bytes), hello: groups(hello) },
    log,
  });
}

/** BENCH_ONLY=notify: notifications at scale (notify.ts), on its own PostgreSQL. */
async function notifyOnly() {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const appPort = await freePort();
    const app = await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) });
    children.push(app);
    const pgPids = await postgresProcesses(postgres.url);
    const groups = { server: () => [app.pid!], postgres: pgPids, 'load generator': () => [process.pid] };
    const origin = `http://127.0.0.1:${appPort}`;
    const notify = await runNotify({ postgresUrl: postgres.url, origin, app, groups, log });
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      '# Benchmark report: notifications at scale (BENCH_ONLY=notify)',
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ` +
        `${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} at the end; the app, PostgreSQL and this process share the machine. ` +
        `The whole run took ${totalSeconds} s.`,
      '',
      ...notifyMarkdown(notify),
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      `${dir}/notify.json`,
      `${JSON.stringify({ date, totalSeconds, loadavg: loadavg(), notify }, null, 2)}\n`,
    );
    writeFileSync(`${dir}/notify.md`, `${md}\n`);
    console.log(md);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

/** BENCH_ONLY=reads: the thread reads' section alone, on its own PostgreSQL. */
async function readsOnly() {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const [appPort, helloPort] = [await freePort(), await freePort()];
    const appOrigin = `http://127.0.0.1:${appPort}`;
    const app = await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) });
    children.push(app);
    const hello = await startServer('./servers/hello.ts', { PORT: String(helloPort) });
    children.push(hello);
    const members = await ask<Member[]>(app, 'members', { count: 6, prefix: 'bench-member' });
    const [organiser, ...posters] = members as [Member, ...Member[]];
    await createCase(appOrigin, organiser, THREAD_SLUG, 'Benchmark thread');
    const seeded = await seedThread(appOrigin, THREAD_SLUG, posters, THREAD_POSTS);
    const reads = await readsSection(
      postgres.url,
      app,
      appOrigin,
      `http://127.0.0.1:${helloPort}/hello`,
      hello,
      children,
      {
        seeded: { ...seeded, members: posters.length },
        reader: posters[0]!,
        writer: posters[2]!,
      },
    );
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      '# Benchmark report: thread reads (BENCH_ONLY=reads)',
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up; servers, PostgreSQL and load ` +
        `generators share the machine (load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')}). ` +
        `The whole run took ${totalSeconds} s.`,
      '',
      ...readsMarkdown(reads),
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      `${dir}/reads.json`,
      `${JSON.stringify({ date, totalSeconds, loadavg: loadavg(), reads }, null, 2)}\n`,
    );
    writeFileSync(`${dir}/reads.md`, md);
    console.log(md);
    if (readsRuns(reads).some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
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
    const reads = await readsSection(
      postgres.url,
      app,
      appOrigin,
      `http://127.0.0.1:${helloPort}/hello`,
      hello,
      children,
      {
        seeded: { ...seeded, members: posters.length },
        reader: posters[0]!,
        writer: posters[2]!,
      },
    );

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
    const casePage = await pageSection(postgres.url, children);
    const lighthouse = await lighthouseSection(postgres.url, children);

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
        { name: 'thread reads vs the same bytes', slug: THREAD_SLUG, ...reads },
        { name: 'post fan-out vs bare Socket.IO', ...fanout },
        { name: 'RSVP storm', ...storm },
        { name: 'feed at scale', ...feed },
        { name: 'idle websocket memory', ...sockets },
        { name: 'case library at scale', ...library },
        { name: 'server-rendered case page', ...casePage },
        { name: 'lighthouse', ...lighthouse },
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
    if (failed || stormBroken || feedBroken || fanout.app.lost > 0 || fanout.bare.lost > 0) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

/** BENCH_ONLY=writers: concurrent mixed writers (writers.ts) alone, on their own PostgreSQL. */
async function writersOnly() {
  const started = Date.now();
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const appPort = await freePort();
    const app = await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) });
    children.push(app);
    const pgPids = await postgresProcesses(postgres.url);
    const [organiser, ...members] = await ask<Member[]>(app, 'members', { count: 9, prefix: 'writer' });
    const writers = await runWriters({
      origin: `http://127.0.0.1:${appPort}`,
      organiser: organiser!,
      members,
      groups: { server: () => [app.pid!], postgres: pgPids, 'load generator': () => [process.pid] },
      seconds: DURATION_S,
      log,
    });
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      '# Benchmark report: concurrent writers (BENCH_ONLY=writers)',
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ` +
        `${DURATION_S} s per writer count; server, PostgreSQL and load generator share the machine. ` +
        `The whole run took ${totalSeconds} s. Load average at the end: ${loadavg()
          .map((n) => n.toFixed(1))
          .join(', ')}.`,
      '',
      ...writersMarkdown(writers),
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/writers.json`, `${JSON.stringify({ date, totalSeconds, writers }, null, 2)}\n`);
    writeFileSync(`${dir}/writers.md`, md);
    console.log(md);
    if (writers.runs.some((r) => r.errors > 0)) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

/**
 * BENCH_ONLY=fanout: a post fanned out to BENCH_FANOUT_SIZES sockets (1000,10000) watching one case,
 * BENCH_FANOUT_RUNS times each (5), app beside bare Socket.IO in every run: the p99 ratio per run.
 */
async function fanoutOnly() {
  const started = Date.now();
  const sizes = (process.env.BENCH_FANOUT_SIZES ?? '1000,10000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const runsEach = positiveInteger('BENCH_FANOUT_RUNS', 5);
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  const results: { clients: number; run: number; ratioP99: number; fanout: FanoutResult }[] = [];
  try {
    const [appPort, barePort] = [await freePort(), await freePort()];
    const appOrigin = `http://127.0.0.1:${appPort}`;
    const app = await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) });
    children.push(app);
    const [organiser, poster] = await ask<Member[]>(app, 'members', { count: 2, prefix: 'fanout' });
    await createCase(appOrigin, organiser!, FANOUT_SLUG, 'Benchmark fan-out');
    const bareIo = await startServer('./servers/bare-socketio.ts', { PORT: String(barePort) });
    children.push(bareIo);
    for (const clients of sizes) {
      for (let run = 1; run <= runsEach; run += 1) {
        const clientsProcess = await startServer('./fanout-clients.ts', {});
        children.push(clientsProcess);
        const fanout = await runFanout({
          clients: clientsProcess,
          app: { server: app, origin: appOrigin, slug: FANOUT_SLUG, headers: memberHeaders(poster!) },
          bare: { server: bareIo, origin: `http://127.0.0.1:${barePort}` },
          settings: { clients, posts: FANOUT_POSTS, warmupPosts: 2, gapMs: 300, timeoutMs: 15_000 },
          log,
        });
        clientsProcess.kill('SIGTERM');
        await new Promise((resolve) => clientsProcess.once('exit', resolve));
        log(`fan-out ${clients} sockets, run ${run}: p99 ratio ${fanout.ratioP99.toFixed(3)}`);
        results.push({ clients, run, ratioP99: fanout.ratioP99, fanout });
      }
    }
  } finally {
    const date = new Date().toISOString();
    const totalSeconds = Math.round((Date.now() - started) / 1000);
    const md = [
      '# Benchmark report: post fan-out (BENCH_ONLY=fanout)',
      '',
      `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ` +
        `${FANOUT_POSTS} posts per run; servers, PostgreSQL and clients share the machine. The whole run took ${totalSeconds} s. ` +
        `Load average at the end: ${loadavg()
          .map((n) => n.toFixed(1))
          .join(', ')}.`,
      '',
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
    ].join('\n');
    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/fanout.json`, `${JSON.stringify({ date, totalSeconds, results }, null, 2)}\n`);
    writeFileSync(`${dir}/fanout.md`, md);
    console.log(md);
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
  if (results.some((r) => r.fanout.app.lost > 0 || r.fanout.bare.lost > 0)) process.exitCode = 1;
}

const start = runStart();
const only: Record<string, () => Promise<void>> = {
  library: libraryOnly,
  reads: readsOnly,
  page: () => sectionOnly('page'),
  lighthouse: () => sectionOnly('lighthouse'),
  notify: notifyOnly,
  writers: writersOnly,
  fanout: fanoutOnly,
  feed: () => feedOnly(log),
  sockets: () => socketsOnly(log),
};
await (only[process.env.BENCH_ONLY ?? '']?.() ?? main().then(notifyOnly));
log(`history: ${recordHistory(here('./reports'), start).join(', ') || 'no report written'}`);
