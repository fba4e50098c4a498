/**
 * A bench section run alone (BENCH_ONLY=<section>): on a throwaway PostgreSQL of its own, with the
 * child processes it starts stopped afterwards, its report written by runSection
 * (tests/load/reports/<section>.{json,md}), and the exit code 1 when the result says it failed.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';
import { postgresProcesses, startChild, stopChild, type ChildOptions } from './children.ts';
import { serverGroups, type CpuGroups } from './cpu.ts';
import { runSection } from './section-report.ts';

export interface Bench {
  postgresUrl: string;
  /** Starts a script of tests/load/ (e.g. './servers/app.ts'), stopped when the section ends. */
  start(script: string, options?: ChildOptions): Promise<ChildProcess>;
  /** The CPU split for a server of this section: it, PostgreSQL, this process. */
  groups(server: ChildProcess): CpuGroups;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Runs `run` with a Bench of its own; the children it started are stopped even when it throws. */
export async function withBench<T>(run: (bench: Bench) => Promise<T>): Promise<T> {
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const pids = await postgresProcesses(postgres.url);
    return await run({
      postgresUrl: postgres.url,
      async start(script, options) {
        const child = await startChild(here(script), options);
        children.push(child);
        return child;
      },
      groups: (server) => serverGroups(server, pids),
    });
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    postgres.stop();
  }
}

export async function alone<T>(
  section: string,
  title: string,
  run: (bench: Bench) => Promise<T>,
  markdown: (result: T) => string[],
  failed: (result: T) => boolean,
): Promise<void> {
  const result = await runSection(section, title, () => withBench(run), markdown);
  if (failed(result)) process.exitCode = 1;
}
