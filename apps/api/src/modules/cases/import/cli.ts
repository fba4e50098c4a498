/**
 * The import's two operator commands (registered in apps/api/src/admin.ts):
 *   import-cases FILE [--dry-run]   checks every row, upserts by sourceId, reports
 *   generate-cases N [--format csv|json] [--out FILE] [--seed S] [--prefix P]
 * Progress goes to standard error (a live line on a terminal, a line per step otherwise); the
 * summary and the rejected rows to standard output. The exit code is 1 when any row was rejected
 * (the valid rows are imported all the same, unless --dry-run), or when the file cannot be read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Database } from '@opsi/db/database';
import { CsvError } from './csv.ts';
import { casesCsv, casesJson, generateCases } from './generate.ts';
import { ChangedMeanwhileError } from './repository.ts';
import { ImportFileError, placeOf } from './rows.ts';
import { formatOf, importCases, type ImportProgress, type ImportReport } from './service.ts';

export interface Output {
  out: (line: string) => void;
  err: NodeJS.WriteStream | { isTTY?: boolean; write: (s: string) => unknown };
}

const nodeOutput: Output = { out: (line) => console.log(line), err: process.stderr };

export const IMPORT_USAGE = `  import-cases <file.csv|file.json> [--dry-run]
              upserts cases by sourceId (columns: README, "Importing a case library");
              --dry-run checks and reports without writing anything
  generate-cases <n> [--format csv|json] [--out <file>] [--seed <s>] [--prefix <p>]
              writes n realistic cases over 94 countries and every theme (standard output by default)`;

function progressReporter(io: Output): { tell: (p: ImportProgress) => void; end: () => void } {
  const live = Boolean(io.err.isTTY);
  let shown = '';
  return {
    tell(p) {
      const line = `${p.phase === 'checking' ? 'Checked' : 'Written'} ${p.done}/${p.total} rows`;
      if (live) io.err.write(`\r${line}\x1b[K`);
      else if (line !== shown) io.err.write(`${line}\n`);
      shown = line;
    },
    end() {
      if (live && shown) io.err.write('\n');
    },
  };
}

export function reportLines(report: ImportReport, file: string): string[] {
  const would = report.dryRun ? ' (dry run: nothing was written)' : '';
  const lines = [
    `${file}: ${report.rows} rows${would}`,
    `  ${report.dryRun ? 'would insert' : 'inserted'}:  ${report.inserted}`,
    `  ${report.dryRun ? 'would update' : 'updated'}:   ${report.updated}`,
    `  unchanged: ${report.unchanged}`,
    `  rejected:  ${report.rejected.length}`,
  ];
  if (!report.dryRun && report.activities)
    lines.push(`  followers told: one line for each of ${report.activities} hubs`);
  if (report.ignored.length) lines.push(`  columns not read: ${report.ignored.join(', ')}`);
  if (report.rejected.length) {
    lines.push('', 'Rejected rows:');
    for (const r of report.rejected) {
      const id = r.sourceId ? ` (sourceId ${r.sourceId})` : '';
      lines.push(`  ${placeOf(r)}${id}:`, ...r.reasons.map((reason) => `    - ${reason.message}`));
    }
  }
  return lines;
}

export async function importCommand(database: Database, args: string[], io: Output = nodeOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    io.err.write(`Usage:\n${IMPORT_USAGE}\n`);
    return 1;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.err.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const progress = progressReporter(io);
  let report: ImportReport;
  try {
    report = await importCases(database, text, formatOf(file, text), {
      dryRun: values['dry-run'],
      progress: progress.tell,
    });
  } catch (error) {
    progress.end();
    if (error instanceof ImportFileError || error instanceof CsvError || error instanceof ChangedMeanwhileError) {
      io.err.write(`${file}: ${error.message}; nothing was imported.\n`);
      return 1;
    }
    throw error;
  }
  progress.end();
  for (const line of reportLines(report, file)) io.out(line);
  return report.rejected.length ? 1 : 0;
}

export function generateCommand(args: string[], io: Output = nodeOutput): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1084' },
      prefix: { type: 'string', default: 'OPSI-' },
    },
  });
  const n = Number(positionals[0]);
  const seed = Number(values.seed);
  if (
    !Number.isInteger(n) ||
    n < 1 ||
    n > 1_000_000 ||
    !Number.isInteger(seed) ||
    !['csv', 'json'].includes(values.format)
  ) {
    io.err.write(`Usage:\n${IMPORT_USAGE}\n`);
    return 1;
  }
  const cases = generateCases(n, { seed, prefix: values.prefix });
  const text = values.format === 'json' ? casesJson(cases) : casesCsv(cases);
  if (values.out) {
    writeFileSync(values.out, text);
    io.err.write(`Wrote ${n} cases to ${values.out}.\n`);
  } else process.stdout.write(text);
  return 0;
}
