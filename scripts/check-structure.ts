/**
 * Architecture rules the linter cannot express:
 *  - the web app never imports the database package (nor Kysely, pg or PGlite);
 *  - inside the API, only repositories import Kysely (migrations, seeds and packages/db are the
 *    database layer itself);
 *  - the API's layers: the platform (apps/api/src/platform) imports no feature module and no
 *    plugin; a plugin (apps/api/src/plugins) imports no feature module; a feature module
 *    (apps/api/src/modules/<feature>) never imports another module's repository, only its service
 *    (or its activities). Tests beside the code follow the same rules;
 *  - no source file of the API (tests included) and no hand-written file of the web app (components,
 *    pages, stylesheets, tests; not the generated Paraglide messages nor the API types) is longer
 *    than MAX_LINES: split it by what it does;
 *  - the web app's form fields keep what was chosen or typed before hydration (FIELD below).
 * Exits 1 and lists every offending import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'build', '.svelte-kit', 'paraglide', '.turbo']);

function files(dir: string, pattern = /\.(?:ts|js|svelte)$/): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^[ \t]*import\s+['"]([^'"]+)['"]/gm;

function imports(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
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

const api = join(root, 'apps/api/src');
const platform = join(api, 'platform');
const plugins = join(api, 'plugins');
const modules = join(api, 'modules');

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

/** The feature module a path belongs to (its folder under modules/), or null. */
function moduleOf(path: string): string | null {
  return within(path, modules) ? (relative(modules, path).split(sep)[0] ?? null) : null;
}

/** A repository: `repository.ts`, `<name>-repository.ts` or a file in a `repository/` folder. */
function isRepository(path: string): boolean {
  return /(?:^|[/-])repository\.ts$|\/repository\//.test(path);
}

for (const file of files(api)) {
  const own = moduleOf(file);
  for (const spec of imports(file)) {
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const where = `${relative(root, file)}: imports ${spec}`;
    if (within(file, platform) && (within(target, modules) || within(target, plugins))) {
      problems.push(`${where} (the platform knows no feature module and no plugin)`);
    }
    if (within(file, plugins) && within(target, modules)) {
      problems.push(
        `${where} (a plugin knows no feature module: let the module register with it, or hand it over in app.ts)`,
      );
    }
    const other = moduleOf(target);
    if (own && other && other !== own && isRepository(target)) {
      problems.push(`${where} (another module's repository: go through that module's service)`);
    }
  }
}

/** Past this, a file holds several things: split it by what they do (issue 11). */
const MAX_LINES = 400;
/** Written by a tool, not by hand: the API's types (npm run api:types); Paraglide's output is skipped above. */
const GENERATED = /\/apps\/web\/src\/lib\/api\/schema\.d\.ts$/;
const web = files(join(root, 'apps/web/src'), /\.(?:ts|js|svelte|css)$/).filter((file) => !GENERATED.test(file));
for (const file of [...files(api), ...web]) {
  const lines = readFileSync(file, 'utf8').split('\n').length - 1;
  if (lines > MAX_LINES)
    problems.push(`${relative(root, file)}: ${lines} lines (at most ${MAX_LINES}: split it by what it does)`);
}

/**
 * Form fields whose value survives hydration and renders on the server (issue 15's findings):
 * `checked={…}` and `value={…}` are set again when a page hydrates, over what a person chose or
 * typed before its scripts ran (bind them, or use defaultChecked/defaultValue); a textarea's
 * defaultValue and `{…}` content do neither, so a textarea is bound (TextArea.svelte).
 */
const FIELD = /<(input|textarea)\b[^>]*>/g;
const KEPT_TYPES = /\btype="(?:hidden|radio|checkbox|submit|button)"/;
for (const file of web.filter((path) => path.endsWith('.svelte'))) {
  const source = readFileSync(file, 'utf8');
  const where = relative(root, file);
  if (/(?<![\w:])checked=\{/.test(source))
    problems.push(`${where}: checked={…} is reset by hydration (bind:checked, bind:group or defaultChecked)`);
  for (const field of source.matchAll(FIELD)) {
    const [tag, name] = field;
    if (tag.includes('bind:value') || tag.includes('readonly')) continue;
    if (name === 'textarea') {
      // An empty one is fine; one given a text must render it and keep what is typed.
      if (tag.includes('defaultValue') || /^\s*\{/.test(source.slice(field.index + tag.length)))
        problems.push(`${where}: a textarea with a text must be bound (use #lib/components/TextArea.svelte)`);
    } else if (tag.includes('value={') && !KEPT_TYPES.test(tag) && !tag.includes('defaultValue'))
      problems.push(`${where}: value={…} on a text field is reset by hydration (bind:value or defaultValue)`);
  }
}

if (problems.length) {
  console.error(`Structure check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  'Structure check passed: the web app stays off the database; only repositories import Kysely; the platform imports no module or plugin, plugins no module, modules no other module’s repository, no API file nor hand-written web file is over 400 lines, and form fields keep what was typed before hydration.',
);
