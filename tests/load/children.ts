/**
 * The bench's child processes: a script forked with an IPC channel, ready when it sends its first
 * message; optionally with Node flags (--expose-gc) and with its soft limit on open files raised to
 * the hard limit first (a shell's `ulimit`, then exec: the process that holds thousands of sockets
 * must be allowed as many descriptors). And the processes of a PostgreSQL cluster, for the CPU split.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { withChildren } from './cpu.ts';

export interface ChildOptions {
  env?: Record<string, string>;
  nodeFlags?: string[];
  raiseFileLimit?: boolean;
}

/** Open files allowed: the soft and hard limits of a shell started from here. */
export function fileLimits(): { soft: string; hard: string } {
  const read = (flag: string) => execFileSync('/bin/sh', ['-c', `ulimit ${flag} -n`], { encoding: 'utf8' }).trim();
  return { soft: read('-S'), hard: read('-H') };
}

export async function startChild(script: string, options: ChildOptions = {}): Promise<ChildProcess> {
  const flags = options.nodeFlags ?? [];
  const child = options.raiseFileLimit
    ? fork(script, [], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // sh -c '<raise>; exec "$0" "$@"' node [flags] script: the IPC channel survives the exec.
        execPath: '/bin/sh',
        execArgv: ['-c', 'ulimit -S -n "$(ulimit -H -n)"; exec "$0" "$@"', process.execPath, ...flags],
      })
    : fork(script, [], {
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: flags,
      });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 180 s`)), 180_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}`));
    });
  });
  return child;
}

/** Stops a child and waits for it to be gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

/** The PostgreSQL cluster's processes: the postmaster (from its data directory's pid file) and its children. */
export async function postgresProcesses(url: string): Promise<() => number[]> {
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
