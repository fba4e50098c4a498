/**
 * In the browser's bundle, `@opsi/contracts/<module>` is that module's exports as plain data,
 * worked out once at build time: the web app reads the contracts only for their values (limits,
 * patterns, lists of kinds), and TypeBox schemas are plain JSON Schema objects. The browser then
 * loads neither TypeBox (about 43 kB) nor the code that builds every schema when a page starts.
 * The server's bundle, the type checks and the unit tests keep the real modules.
 *
 * Functions (TypeBox helpers such as `Page`) are left out: browser code that imports one fails the
 * build with the bundler's missing-export error, naming it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

const SPECIFIER = /^@opsi\/contracts\/([a-z-]+)$/;
const PREFIX = '\0contracts-data:';
const contractsSource = join(dirname(fileURLToPath(import.meta.url)), '../../packages/contracts/src');

/** Fails, naming where, on anything JSON would change: a RegExp, a Map, a Date, NaN, a function inside. */
function assertPlainData(value: unknown, at: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${at} is ${value}, which JSON cannot carry`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlainData(item, `${at}[${index}]`));
    return;
  }
  const prototype: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new Error(`${at} is not plain data (${typeof value === 'object' ? value.constructor.name : typeof value})`);
  }
  for (const [key, item] of Object.entries(value as object)) {
    if (item !== undefined) assertPlainData(item, `${at}.${key}`);
  }
}

/** A module's data exports as `export const name = <literal>;` lines, in their order; functions left out. */
export function contractsAsData(name: string, exports: Record<string, unknown>): string {
  return Object.entries(exports)
    .filter(([, value]) => typeof value !== 'function')
    .map(([key, value]) => {
      assertPlainData(value, `@opsi/contracts/${name}: ${key}`);
      return `export const ${key} = ${JSON.stringify(value)};`;
    })
    .join('\n');
}

export function contractsDataPlugin(): Plugin {
  return {
    name: 'opsi:contracts-data',
    enforce: 'pre',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'client',
    resolveId(source) {
      const match = SPECIFIER.exec(source);
      return match ? `${PREFIX}${match[1]}` : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      // Node runs the TypeScript sources directly (type stripping), as the API does.
      const module = (await import(pathToFileURL(join(contractsSource, `${name}.ts`)).href)) as Record<string, unknown>;
      return contractsAsData(name, module);
    },
  };
}
