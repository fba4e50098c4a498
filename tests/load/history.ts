/**
 * The bench's report history: after every run (the full one or a BENCH_ONLY section), each
 * Markdown report the run wrote under tests/load/reports/ is copied to
 * reports/history/<start, ISO 8601 basic>-<section>.md (`latest.md` is the full run: `full`), and
 * the folder's README lists every copy, newest first, with the machine's load at the start and
 * the end of the run: a change shows as a step from one file to the next. The copies are committed.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export interface RunStart {
  startedAt: Date;
  load: number[];
}

export function runStart(): RunStart {
  return { startedAt: new Date(), load: loadavg() };
}

/** 2026-12-05T07:09:29.123Z → 20261205T070929Z (sorts by time, no colon in a file name). */
export function basicIso(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

const INDEX_HEADER = [
  '# Bench report history',
  '',
  'One file per `npm run bench` run and section, copied from `tests/load/reports/` when the run ends',
  '(`<start of the run, UTC>-<section>.md`; `full` is the whole bench, the others are `BENCH_ONLY=<section>`',
  'runs or the sections a full run wrote). Figures are only comparable between runs on the same machine:',
  'the load average (1, 5 and 15 minutes) at the start and the end of each run says how busy it was.',
  '',
  '| run (UTC) | section | load at start | load at end | report |',
  '| --- | --- | --- | --- | --- |',
];

function loadText(load: number[]): string {
  return load.map((l) => l.toFixed(1)).join(' / ');
}

/**
 * Copies the reports written since `start` into `reportsDir/history` and adds them to its README;
 * returns the copies' names.
 */
export function recordHistory(reportsDir: string, start: RunStart): string[] {
  if (!existsSync(reportsDir)) return [];
  const historyDir = join(reportsDir, 'history');
  mkdirSync(historyDir, { recursive: true });
  const stamp = basicIso(start.startedAt);
  const endLoad = loadavg();
  const written = readdirSync(reportsDir).filter(
    (name) => name.endsWith('.md') && statSync(join(reportsDir, name)).mtimeMs >= start.startedAt.getTime(),
  );
  const copies: string[] = [];
  const rows: string[] = [];
  for (const name of written.sort()) {
    const section = name === 'latest.md' ? 'full' : name.replace(/\.md$/, '');
    const copy = `${stamp}-${section}.md`;
    copyFileSync(join(reportsDir, name), join(historyDir, copy));
    copies.push(copy);
    rows.push(
      `| ${start.startedAt.toISOString().slice(0, 16).replace('T', ' ')} | ${section} | ${loadText(start.load)} | ` +
        `${loadText(endLoad)} | [${copy}](${copy}) |`,
    );
  }
  if (copies.length) {
    const indexPath = join(historyDir, 'README.md');
    const previous = existsSync(indexPath)
      ? readFileSync(indexPath, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('| 2'))
      : [];
    writeFileSync(indexPath, [...INDEX_HEADER, ...rows, ...previous, ''].join('\n'));
  }
  return copies;
}
