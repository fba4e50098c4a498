/**
 * Idle websocket memory (BENCH_ONLY=sockets): BENCH_SOCKETS (10,000) Socket.IO clients, websocket
 * transport, connected to one app node, each signed in as its own member (its session cookie in
 * the handshake), then left idle; beside them, the same number of clients on a bare Socket.IO
 * server (no app, no session, the in-memory adapter) in the same run. Each server's memory is read
 * after a full garbage collection before and after connecting: the difference, divided by the
 * sockets, is what one idle socket costs it. The clients live in BENCH_SOCKET_PROCESSES (4) child
 * processes, each allowed as many open files as the hard limit permits.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';
import { fileLimits, startChild, stopChild } from './children.ts';
import { positiveInteger } from './http.ts';
import { ask } from './ipc.ts';
import { runSection } from './section-report.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const SOCKETS = positiveInteger('BENCH_SOCKETS', 10_000);
const PROCESSES = positiveInteger('BENCH_SOCKET_PROCESSES', 4);
export const SOCKET_TARGET_KB = 30;

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  sockets: number;
}

interface PerSocket {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface SocketSide {
  name: string;
  sockets: number;
  signedIn: boolean;
  connectSeconds: number;
  before: Memory;
  middle: Memory;
  after: Memory;
  /** Per socket, in KB (1,024 bytes): the growth from none to all ÷ sockets. */
  perSocketKb: PerSocket;
  /** The second half's growth ÷ its sockets. */
  marginalKb: PerSocket;
  dropped: number;
}

export interface SocketsResult {
  sockets: number;
  processes: number;
  fileLimits: { soft: string; hard: string };
  app: SocketSide;
  bare: SocketSide;
}

const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

async function connectAll(clients: ChildProcess[], origin: string, cookies: string[]): Promise<void> {
  const share = Math.ceil(cookies.length / clients.length);
  await Promise.all(
    clients.map((c, i) =>
      ask(c, 'connect', { origin, cookies: cookies.slice(i * share, (i + 1) * share), concurrency: 25 }, 900_000),
    ),
  );
}

/**
 * Memory before, with half the clients connected, and with all: the average cost per socket
 * (all ÷ sockets) and the marginal one (the second half's growth ÷ its sockets: what one more idle
 * socket costs once the heap has grown past its start-up slack).
 */
async function measure(
  name: string,
  server: ChildProcess,
  origin: string,
  clients: ChildProcess[],
  cookies: string[],
  log: (line: string) => void,
): Promise<SocketSide> {
  const before = await ask<Memory>(server, 'memory');
  log(`sockets: ${name}: connecting ${cookies.length.toLocaleString('en')} clients`);
  const started = performance.now();
  const half = Math.floor(cookies.length / 2);
  await connectAll(clients, origin, cookies.slice(0, half));
  const middle = await ask<Memory>(server, 'memory');
  await connectAll(clients, origin, cookies.slice(half));
  const connectSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const after = await ask<Memory>(server, 'memory');
  const tallies = await Promise.all(clients.map((c) => ask<{ connected: number; dropped: number }>(c, 'tally')));
  const dropped = tallies.reduce((sum, t) => sum + t.dropped, 0);
  if (after.sockets !== cookies.length) {
    throw new Error(`${name}: ${after.sockets} sockets open on the server, expected ${cookies.length}`);
  }
  await Promise.all(clients.map((c) => ask(c, 'close')));
  const n = cookies.length;
  const per = (from: Memory, to: Memory, count: number) => ({
    rss: kb((to.rss - from.rss) / count),
    heapUsed: kb((to.heapUsed - from.heapUsed) / count),
    external: kb((to.external - from.external) / count),
  });
  return {
    name,
    sockets: n,
    signedIn: cookies.some(Boolean),
    connectSeconds,
    before,
    middle,
    after,
    perSocketKb: per(before, after, n),
    marginalKb: per(middle, after, n - half),
    dropped,
  };
}

export async function runSockets(log: (line: string) => void): Promise<SocketsResult> {
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const [appPort, barePort] = [await freePort(), await freePort()];
    const gc = ['--expose-gc'];
    const app = await startChild(here('./servers/app.ts'), {
      env: { DATABASE_URL: postgres.url, PORT: String(appPort) },
      nodeFlags: gc,
      raiseFileLimit: true,
    });
    children.push(app);
    const bare = await startChild(here('./servers/bare-socketio.ts'), {
      env: { PORT: String(barePort) },
      nodeFlags: gc,
      raiseFileLimit: true,
    });
    children.push(bare);
    const clients: ChildProcess[] = [];
    for (let i = 0; i < PROCESSES; i += 1) {
      clients.push(await startChild(here('./sockets-clients.ts'), { raiseFileLimit: true }));
    }
    children.push(...clients);

    log(`sockets: ${SOCKETS.toLocaleString('en')} members with a session each`);
    const members = await ask<{ cookie: string }[]>(app, 'bulk-members', { count: SOCKETS, prefix: 'idle' }, 600_000);
    // One signed-in request first, so the app's lazily built parts are there before the first reading.
    await fetch(`http://127.0.0.1:${appPort}/api/v1/me`, { headers: { cookie: members[0]!.cookie } });
    const appSide = await measure(
      'app (signed in)',
      app,
      `http://127.0.0.1:${appPort}`,
      clients,
      members.map((m) => m.cookie),
      log,
    );
    const bareSide = await measure(
      'bare Socket.IO',
      bare,
      `http://127.0.0.1:${barePort}`,
      clients,
      members.map(() => ''),
      log,
    );
    return { sockets: SOCKETS, processes: PROCESSES, fileLimits: fileLimits(), app: appSide, bare: bareSide };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    postgres.stop();
  }
}

/** The figure judged against the target: the larger of the average and the marginal RSS per socket. */
export const rssPerSocketKb = (s: SocketSide) => Math.max(s.perSocketKb.rss, s.marginalKb.rss);

export function socketsMarkdown(r: SocketsResult): string[] {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const row = (s: SocketSide) =>
    `| ${s.name} | ${s.sockets.toLocaleString('en')} | ${mb(s.before.rss)} / ${mb(s.middle.rss)} / ${mb(s.after.rss)} | ` +
    `**${s.perSocketKb.rss}** / ${s.marginalKb.rss} | ${s.perSocketKb.heapUsed} / ${s.marginalKb.heapUsed} | ` +
    `${s.perSocketKb.external} | ${s.connectSeconds} | ${s.dropped} |`;
  const app = rssPerSocketKb(r.app);
  return [
    `## Idle websocket memory: ${r.sockets.toLocaleString('en')} Socket.IO clients on one node`,
    '',
    `${r.sockets.toLocaleString('en')} clients (websocket transport) in ${r.processes} child processes (open files ` +
      `allowed: soft ${r.fileLimits.soft}, hard ${r.fileLimits.hard}; each child and server raises its soft limit ` +
      'to the hard one), connected 25 at a time per process, then idle. On the app each client is a different ' +
      'member with their own session cookie (the handshake checks the session; the socket joins its member’s and ' +
      'session’s rooms); the bare Socket.IO server, in the same run, takes as many clients without cookies. Memory ' +
      'is read in each server after a full garbage collection (`--expose-gc`): before, with half the clients ' +
      'connected, and with all. Per socket: the growth from none to all ÷ sockets (average), and the second ' +
      'half’s growth ÷ its sockets (marginal: past the heap’s start-up slack); KB of 1,024 bytes.',
    '',
    '| server | sockets | RSS MB: none / half / all | RSS per socket KB: average / marginal | JS heap per socket KB: average / marginal | external per socket KB | connect s | dropped |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(r.app),
    row(r.bare),
    '',
    `App RSS per idle socket (the larger of average and marginal): ${app} KB, target ≤ ${SOCKET_TARGET_KB} KB: ` +
      `${app <= SOCKET_TARGET_KB ? 'met' : '**missed**'}; the bare Socket.IO server’s: ${rssPerSocketKb(r.bare)} KB.`,
    '',
  ];
}

/** BENCH_ONLY=sockets: this section alone, written to reports/sockets.{json,md}. */
export async function socketsOnly(log: (line: string) => void): Promise<void> {
  const r = await runSection('sockets', 'idle websocket memory', () => runSockets(log), socketsMarkdown);
  if (r.app.dropped + r.bare.dropped > 0) process.exitCode = 1;
}
