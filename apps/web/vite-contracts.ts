/**
 * The API's contracts (@opsi/contracts) as data in the browser's bundle. Pages read limits,
 * patterns and lists from the contracts' TypeBox schemas (#lib/input-rules.ts), which are plain
 * JSON Schema once built; building them in the browser cost TypeBox's code and every schema's
 * construction on each page load (~25–30 ms of main thread here, four times that on Lighthouse's
 * phone). So the client build evaluates each contracts module that uses TypeBox here, at build
 * time, and gives the browser its exports as literals: the same values, with no TypeBox.
 *
 * Functions are left out: a module that the browser needs a function from keeps it in a module
 * without schemas (live-order.ts, introduction-text.ts), and importing a left-out one fails the
 * build (a missing export). A value that is not plain data stops the build.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

const CONTRACT = /[\\/]packages[\\/]contracts[\\/]src[\\/][^\\/]+\.ts$/;

/** `value` as a JavaScript literal, or an error naming where a value is not plain data. */
export function dataLiteral(value: unknown, where: string): string {
  return JSON.stringify(value, function check(key, item: unknown) {
    if (item === undefined || typeof item === 'function' || typeof item === 'bigint' || typeof item === 'symbol') {
      throw new Error(`${where}: ${key || '(the value)'} is not plain data`);
    }
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const proto = Object.getPrototypeOf(item) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new Error(`${where}: ${key || '(the value)'} is not plain data`);
      }
    }
    return item;
  });
}

/** The exports of a contracts module, as the module the browser gets. */
export async function contractAsData(file: string): Promise<string | null> {
  const source = await readFile(file, 'utf8');
  if (!/from 'typebox'/.test(source)) return null;
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const lines = [`// ${file}, evaluated at build time (vite-contracts.ts)`];
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === 'function') continue;
    lines.push(`export const ${name} = ${dataLiteral(value, `${file}: ${name}`)};`);
  }
  return lines.join('\n');
}

export function contractsAsData(): Plugin {
  return {
    name: 'opsi:contracts-as-data',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'client',
    async load(id) {
      const file = id.split('?')[0] ?? id;
      if (!CONTRACT.test(file) || file.endsWith('.test.ts')) return null;
      const code = await contractAsData(file);
      return code === null ? null : { code, map: null };
    },
  };
}
