/**
 * The API test kit, real server processes: `node apps/api/src/server.ts` started as an operator
 * would (its own process, its own port on 127.0.0.1, JSON logs), for what only a process shows:
 * signals, exit codes, refused connections, a database that goes away. Ready once `/api/health`
 * answers; every process started here is killed after the file's last test if a test left it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from '../../../infra/throwaway-postgres.ts';
import { testDatabaseUrl } from './testing.ts';
import { eventually } from './testing-until.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it exited. */
  at: number;
}

export interface ServerProcess {
  origin: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its JSON log lines so far, parsed (lines that are not JSON are left out). */
  logs(): Record<string, unknown>[];
  /** Resolves when it has exited. */
  exited: Promise<Exit>;
  /** Sends a signal (SIGTERM: drain and stop); an exit after it is expected, not reported. */
  signal(signal: NodeJS.Signals): void;
  /** Sends SIGTERM; resolves when it has exited. */
  stop(): Promise<Exit>;
}

const started = new Set<ServerProcess>();
const folders: string[] = [];

afterAll(() => {
  for (const server of started)
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  started.clear();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * Starts a server on the file's database (or `DATABASE_URL` in `env`), API only, jobs off unless
 * `env` says; resolves when it answers `/api/health`. Fails with its output when it exits first.
 */
export async function startServer(
  env: Record<string, string> = {},
  /** The tree whose apps/api/src/server.ts runs (another release's code); this one by default. */
  root = ROOT,
): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'opsi-node-'));
  folders.push(dataDir);
  const child = spawn(process.execPath, ['apps/api/src/server.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: dataDir,
      SERVE_WEB: 'false',
      SEED_DEMO: 'false',
      LOG_FORMAT: 'json',
      JOBS: 'false',
      ABUSE_LIMITS: 'off',
      ...env,
    },
  });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  let signalled = false;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      // A process that falls over by itself: what it printed last says why.
      if (!signalled) console.error(`the server on port ${port} exited (${code ?? signal}):\n${text.slice(-6000)}`);
      resolve({ code, signal, at: Date.now() });
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    origin,
    port,
    child,
    output: () => text,
    logs: () =>
      text.split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exited,
    signal(signal) {
      signalled = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      server.signal('SIGTERM');
      return exited;
    },
  };
  started.add(server);
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(
    async () => {
      if (gone) throw new Error(`the server exited before it was ready:\n${text}`);
      return fetch(`${origin}/api/health`).then(
        (res) => res.status,
        () => 0,
      );
    },
    (status) => status === 200,
    () => `the server on ${origin} to answer /api/health:\n${text}`,
    { within: 90_000, every: 100 },
  );
  return server;
}

/** Whether a new TCP connection to this port on 127.0.0.1 is refused now (a fresh socket, not a pooled one). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
