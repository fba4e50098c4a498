/**
 * A bench section run alone (BENCH_ONLY=<section>): its result and Markdown report written to
 * tests/load/reports/<section>.{json,md}, with the machine, the load and how long it took.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export async function runSection<T>(
  section: string,
  title: string,
  run: () => Promise<T>,
  markdown: (result: T) => string[],
): Promise<T> {
  const started = Date.now();
  const load = loadavg();
  const result = await run();
  const date = new Date().toISOString();
  const totalSeconds = Math.round((Date.now() - started) / 1000);
  const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(', ');
  const md = [
    `# Benchmark report: ${title} (BENCH_ONLY=${section})`,
    '',
    `${date} — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; servers, ` +
      `PostgreSQL and load generators share the machine, with whatever else runs on it (load average over 1, 5 ` +
      `and 15 minutes: ${loads(load)} at the start, ${loads(loadavg())} at the end). The whole run took ` +
      `${totalSeconds} s.`,
    '',
    ...markdown(result),
  ].join('\n');
  const dir = fileURLToPath(new URL('./reports', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}/${section}.json`,
    `${JSON.stringify({ date, totalSeconds, load, [section]: result }, null, 2)}\n`,
  );
  writeFileSync(`${dir}/${section}.md`, `${md}\n`);
  console.log(md);
  return result;
}

/** A goal's verdict in a report: met, or **missed**, with the figure. */
export const verdict = (met: boolean, detail: string) => (met ? `met (${detail})` : `**missed** (${detail})`);
