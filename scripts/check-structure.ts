/**
 * Architecture rules the linter cannot express:
 *  - the web app never imports the database package (nor Kysely, pg or PGlite);
 *  - inside the API, only repositories import Kysely (migrations, seeds and packages/db are the
 *    database layer itself).
 * Exits 1 and lists every offending import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'build', '.svelte-kit', 'paraglide', '.turbo']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(?:ts|js|svelte)$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function imports(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '');
}

const problems: string[] = [];
const DB_MODULES = /^(?:@opsi\/db(?:\/|$)|kysely(?:\/|$)|kysely-pglite-dialect$|pg$|@electric-sql\/pglite)/;

for (const file of files(join(root, 'apps/web'))) {
  for (const spec of imports(file)) {
    if (DB_MODULES.test(spec) || spec.includes('packages/db')) {
      problems.push(`${relative(root, file)}: the web app must not import ${spec} (use the API)`);
    }
  }
}

for (const file of files(join(root, 'apps/api/src'))) {
  const isRepository = /\/repository\.ts$/.test(file) || /\.test\.ts$/.test(file);
  for (const spec of imports(file)) {
    if (/^kysely(?:\/|$)/.test(spec) && !isRepository) {
      problems.push(`${relative(root, file)}: only repository.ts files may import ${spec}`);
    }
  }
}

if (problems.length) {
  console.error(`Structure check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('Structure check passed: the web app stays off the database; only repositories import Kysely.');
