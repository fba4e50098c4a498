/**
 * Starts a throwaway PostgreSQL cluster from the Debian server binaries (initdb + pg_ctl), on a
 * free loopback port, owned by the `postgres` system user when running as root (initdb refuses
 * root). Used by the test setup, the end-to-end server and the benchmarks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  url: string;
  port: number;
  stop(): void;
  /**
   * Stops cleanly (a checkpoint, so the data directory is consistent on its own), moves the data
   * directory to `to` (which must not exist) and removes the rest: a cluster to start again later
   * with `startThrowawayPostgres({ copyOf: to })`.
   */
  stopAndKeep(to: string): void;
  /**
   * Stops the server and keeps its data directory and port, as an outage would: `immediate` (the
   * default) like a crash (connections cut, recovery at the next start), `fast` like an orderly
   * shutdown. `resume` starts it again.
   */
  halt(mode?: 'immediate' | 'fast'): void;
  /** Starts again, on the same port and data directory, a server `halt` stopped; returns when it accepts connections. */
  resume(): void;
}

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) {
    throw new Error(
      'PostgreSQL server binaries not found in /usr/lib/postgresql: install the Debian package `postgresql`.',
    );
  }
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0])
    throw new Error('No initdb under /usr/lib/postgresql/*/bin: install the Debian package `postgresql`.');
  return join(root, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `copyOf`: a data directory kept by `stopAndKeep`, copied and started instead of a new cluster
 * (its databases are there already: `database` must be one of them).
 */
export async function startThrowawayPostgres(
  options: {
    database?: string;
    copyOf?: string;
    /**
     * Commits are acknowledged only once in the write-ahead log (synchronous_commit on, as in
     * production), so they survive a crash (`halt('immediate')`); by default they are not, for
     * speed: a crash then loses the last acknowledged commits and hands out their transaction ids again.
     */
    durableCommits?: boolean;
  } = {},
): Promise<ThrowawayPostgres> {
  const bin = findBinDir();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'opsi-pg-'));
  const dataDir = join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const full = isRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args;
    const result = spawnSync(isRoot ? 'runuser' : join(bin, cmd), full, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
    }
  };
  if (isRoot) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  if (options.copyOf) {
    // cp -a keeps the owner (postgres) and the 0700 mode PostgreSQL insists on.
    execFileSync('cp', ['-a', options.copyOf, dataDir]);
  } else {
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
  }
  const port = await freePort();
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    `synchronous_commit = ${options.durableCommits ? 'on' : 'off'}`,
    'full_page_writes = off',
    'max_connections = 300',
    'shared_buffers = 128MB',
  ].join('\n');
  const confPath = join(dataDir, 'postgresql.auto.conf');
  writeFileSync(confPath, `${conf}\n`);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(confPath, uid, -1);
  }
  const start = () => run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  const database = options.database ?? 'opsi_test';
  if (!options.copyOf) run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
  let stopped = false;
  let halted = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (!halted) run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const stopAndKeep = (to: string) => {
    if (stopped) throw new Error('PostgreSQL is already stopped');
    stopped = true;
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      execFileSync('mv', [dataDir, to]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const halt = (mode: 'immediate' | 'fast' = 'immediate') => {
    if (stopped || halted) throw new Error('PostgreSQL is not running');
    run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    halted = true;
  };
  const resume = () => {
    if (stopped || !halted) throw new Error('PostgreSQL was not halted');
    start();
    halted = false;
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, stop, stopAndKeep, halt, resume };
}
