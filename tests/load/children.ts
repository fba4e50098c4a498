/**
 * Child processes of the feed and sockets sections: a script forked with an IPC channel, ready
 * when it sends its first message; optionally with Node flags (--expose-gc) and with its soft
 * limit on open files raised to the hard limit first (a shell's `ulimit`, then exec: the process
 * that holds thousands of sockets must be allowed as many descriptors).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';

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
