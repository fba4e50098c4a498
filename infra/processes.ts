/**
 * The local cluster's child processes (infra/cluster.ts): started with their output appended to a
 * log file (and, when asked, echoed with a prefix), stopped by signal and waited for, and polled
 * until they serve. Nothing here outlives its caller's `stop`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

export interface Child {
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<string>;
  running(): boolean;
  /** Sends `signal` and waits for the exit; after `graceMs`, SIGKILL to its whole process group. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Appends stdout and stderr here. */
  logFile: string;
  /** Also writes each line to this process's stdout, after this prefix. */
  echo?: string;
  cwd?: string;
}

/** SIGKILL to the child and whatever it started (its own process group: spawned detached). */
function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export function startChild(command: string, args: string[], options: ChildOptions): Child {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // Its own process group: a Ctrl-C in the terminal reaches the cluster script alone, which then
  // stops its children in order (nginx, the nodes, PostgreSQL).
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let pending = '';
  const write = (chunk: Buffer) => {
    log.write(chunk);
    if (options.echo === undefined) return;
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`${options.echo}${line}\n`);
  };
  child.stdout?.on('data', write);
  child.stderr?.on('data', write);
  let exitedNow = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedNow = true;
      resolve(signal ?? String(code));
    });
    child.once('error', (error) => {
      exitedNow = true;
      resolve(`error: ${error.message}`);
    });
  }).finally(() => log.end());
  const running = () => !exitedNow;
  return {
    process: child,
    exited,
    running,
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (!running()) return;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (running()) killGroup(child);
          resolve();
        }, graceMs);
      });
      await Promise.race([exited, late]);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last `lines` lines of a log file (for an error message). */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls `check` every 100 ms until it holds; fails when `child` exits first or after `within` ms. */
export async function untilServing(
  what: string,
  child: Child,
  check: () => Promise<boolean>,
  logFile: string,
  within = 120_000,
): Promise<void> {
  const deadline = Date.now() + within;
  while (!(await check().catch(() => false))) {
    if (!child.running()) throw new Error(`${what} exited (${await child.exited}):\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${within / 1000} s:\n${tail(logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether GET `url` answers 200. */
export async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status === 200;
}
