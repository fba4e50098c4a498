/**
 * The case library at scale: how long an import of 1,084 generated cases takes (PGlite and
 * PostgreSQL, first time and again), then, with 10,000 cases in the bench's PostgreSQL, the case
 * list with two facets (country + theme), with a search query, and the facet counts, each cached
 * and uncached, each beside a bare Fastify server sending the same bytes in the same run.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type Database } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { seedReference } from '@opsi/db/seed';
// Every activity verb, known before an import writes its activities (as app.ts and admin.ts do).
import '../../apps/api/src/catalogue.ts';
import { casesCsv, generateCases } from '../../apps/api/src/modules/cases/import/generate.ts';
import { importCases, type ImportReport } from '../../apps/api/src/modules/cases/import/service.ts';
import type { CpuGroups } from './cpu.ts';
import { DURATION_S, httpTable, load, type Result } from './http.ts';
import { ask } from './ipc.ts';

export const LIBRARY_CASES = 1084;
export const SCALE_CASES = 10_000;
const SEARCH = 'budget';

export interface ImportTiming {
  database: 'PGlite' | 'PostgreSQL';
  cases: number;
  run: string;
  seconds: number;
  inserted: number;
  unchanged: number;
}

export interface LibraryEndpoint {
  name: string;
  path: string;
  cached: Result;
  uncached: Result;
  bare: Result;
}

export interface LibraryResult {
  imports: ImportTiming[];
  casesInDatabase: number;
  facets: { country: string; theme: string; matching: number; searchMatching: number };
  endpoints: LibraryEndpoint[];
}

async function timedImport(
  database: Database,
  label: ImportTiming['database'],
  run: string,
  text: string,
): Promise<ImportTiming> {
  const started = performance.now();
  const report: ImportReport = await importCases(database, text, 'csv');
  const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  if (report.rejected.length) throw new Error(`${report.rejected.length} generated rows were rejected`);
  return { database: label, cases: report.rows, run, seconds, inserted: report.inserted, unchanged: report.unchanged };
}

/** 1,084 cases into a fresh PGlite (in this process), then the same file again. */
async function pgliteImports(csv: string): Promise<ImportTiming[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opsi-bench-pglite-'));
  const database = await createDatabase({ dataDir: dir });
  try {
    await migrateToLatest(database.kysely);
    await seedReference(database.kysely);
    return [
      await timedImport(database, 'PGlite', 'first import', csv),
      await timedImport(database, 'PGlite', 'same file again', csv),
    ];
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLibrary(options: {
  postgresUrl: string;
  appOrigin: string;
  bytes: ChildProcess;
  bytesOrigin: string;
  groups: { app: CpuGroups; bytes: CpuGroups };
  log: (line: string) => void;
}): Promise<LibraryResult> {
  const { log } = options;
  const library = casesCsv(generateCases(LIBRARY_CASES, { prefix: 'BENCH-' }));
  log(`library: importing ${LIBRARY_CASES} cases into PGlite`);
  const imports = await pgliteImports(library);
  log(`library: importing ${LIBRARY_CASES}, then ${SCALE_CASES} cases into PostgreSQL`);
  const database = await createDatabase({ databaseUrl: options.postgresUrl, dataDir: tmpdir() });
  let casesInDatabase: number;
  let pair: { country: string; theme: string };
  try {
    imports.push(await timedImport(database, 'PostgreSQL', 'first import', library));
    imports.push(await timedImport(database, 'PostgreSQL', 'same file again', library));
    // The same generator and seed: the first 1,084 of the 10,000 are those, left unchanged.
    const scale = casesCsv(generateCases(SCALE_CASES, { prefix: 'BENCH-' }));
    imports.push(await timedImport(database, 'PostgreSQL', `grown to ${SCALE_CASES}`, scale));
    const count = await database.kysely
      .selectFrom('cases')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    casesInDatabase = Number(count.n);
    // The busiest country and theme together: the facet pair a reader is most likely to pick.
    const { rows } = await sql<{ country: string; theme: string }>`
      select c as country, t as theme from cases, unnest(countries) c, unnest(themes) t
      group by 1, 2 order by count(*) desc, 1, 2 limit 1
    `.execute(database.kysely);
    pair = rows[0]!;
  } finally {
    await database.close();
  }

  const paths = [
    {
      name: `list, country + theme (${pair.country}, ${pair.theme})`,
      path: '/api/v1/cases',
      query: `?country=${pair.country}&theme=${pair.theme}&limit=20`,
    },
    { name: `list, search q=${SEARCH}`, path: '/api/v1/cases', query: `?q=${SEARCH}&limit=20` },
    {
      name: `facets, country + theme`,
      path: '/api/v1/cases/facets',
      query: `?country=${pair.country}&theme=${pair.theme}`,
    },
  ];
  const endpoints: LibraryEndpoint[] = [];
  const totals: number[] = [];
  for (const [i, p] of paths.entries()) {
    const url = `${options.appOrigin}${p.path}${p.query}`;
    const response = await fetch(url);
    const body = await response.text();
    if (!response.ok) throw new Error(`${url}: ${response.status} ${body}`);
    totals.push((JSON.parse(body) as { total?: number }).total ?? 0);
    // The bare server answers at its own path with the app's bytes.
    const barePath = `/same-bytes-${i}`;
    await ask(options.bytes, 'set', { path: barePath, body });
    log(`library: ${p.name}`);
    endpoints.push({
      name: p.name,
      path: `${p.path}${p.query}`,
      cached: await load(`${p.name}, cached`, url, options.groups.app),
      uncached: await load(`${p.name}, uncached`, url, options.groups.app, {}, true),
      bare: await load(
        `bare Fastify, same ${Buffer.byteLength(body)} bytes`,
        `${options.bytesOrigin}${barePath}`,
        options.groups.bytes,
      ),
    });
  }
  return {
    imports,
    casesInDatabase,
    facets: { ...pair, matching: totals[0] ?? 0, searchMatching: totals[1] ?? 0 },
    endpoints,
  };
}

export function libraryMarkdown(r: LibraryResult): string[] {
  const ratio = (a: Result, b: Result) => (a.requestsPerSecond / Math.max(1, b.requestsPerSecond)).toFixed(3);
  return [
    `## The case library at scale: import of ${LIBRARY_CASES} cases, and the catalogue at ${r.casesInDatabase.toLocaleString('en')} cases`,
    '',
    `Import (\`importCases\`, what \`npm run admin -- import-cases\` runs, in this process; a CSV of generated cases ` +
      'over 94 countries and every theme; reading, checking, mapping and writing in one transaction):',
    '',
    '| database | run | rows | inserted | unchanged | seconds |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...r.imports.map(
      (i) => `| ${i.database} | ${i.run} | ${i.cases} | ${i.inserted} | ${i.unchanged} | ${i.seconds} |`,
    ),
    '',
    `With ${r.casesInDatabase.toLocaleString('en')} cases in PostgreSQL: ${r.facets.matching} match country ` +
      `${r.facets.country} and theme ${r.facets.theme}; ${r.facets.searchMatching} match q=${SEARCH}. “Cached” repeats ` +
      'one anonymous URL, answered from the public read cache (kept per URL for 5 s, emptied by every committed ' +
      'activity). “Uncached” gives every request its own extra query parameter (`&_=<n>`, ignored by the handler ' +
      'but part of the cache key), so every request misses the cache and runs its SQL. The bare Fastify server ' +
      'sends the very bytes of the app’s answer, in the same run.',
    '',
    ...r.endpoints.flatMap((e) => [
      `### GET ${e.path}`,
      '',
      ...httpTable([e.cached, e.uncached, e.bare]),
      `Ratios (req/s ÷ bare req/s, same run): cached **${ratio(e.cached, e.bare)}**, uncached ` +
        `**${ratio(e.uncached, e.bare)}**; p99 cached ${e.cached.latencyP99Ms} ms, uncached ` +
        `${e.uncached.latencyP99Ms} ms, bare ${e.bare.latencyP99Ms} ms (${DURATION_S} s per run).`,
      '',
    ]),
  ];
}
