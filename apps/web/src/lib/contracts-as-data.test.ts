import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { contractAsData, dataLiteral } from '../../vite-contracts.ts';

const contracts = resolve(import.meta.dirname, '../../../../packages/contracts/src');
const files = readdirSync(contracts).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
const out = mkdtempSync(join(tmpdir(), 'contracts-as-data-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the contracts as the browser gets them (vite-contracts.ts)', () => {
  it.each(files)('%s: the same values, without TypeBox and without functions', async (name) => {
    const file = join(contracts, name);
    const real = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const code = await contractAsData(file);
    if (code === null) {
      // No TypeBox here: the browser takes the module as it is.
      return;
    }
    expect(code).not.toMatch(/^import\b|from 'typebox'/m);
    const built = join(out, `${name}.mjs`);
    writeFileSync(built, code);
    const data = (await import(pathToFileURL(built).href)) as Record<string, unknown>;
    const values = Object.entries(real).filter(([, value]) => typeof value !== 'function');
    expect(Object.keys(data).sort()).toEqual(values.map(([key]) => key).sort());
    for (const [key, value] of values) expect(data[key], key).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('stops at what is not plain data', () => {
    expect(() => dataLiteral({ a: new Set([1]) }, 'x.ts: A')).toThrow('x.ts: A: a is not plain data');
    expect(() => dataLiteral({ f: () => 1 }, 'x.ts: B')).toThrow('x.ts: B: f is not plain data');
    expect(() => dataLiteral(/x/, 'x.ts: C')).toThrow('x.ts: C: (the value) is not plain data');
    expect(dataLiteral({ a: [1, 'b', null], c: { maxLength: 3 } }, 'x.ts: D')).toBe(
      '{"a":[1,"b",null],"c":{"maxLength":3}}',
    );
  });
});
