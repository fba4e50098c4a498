import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, uniqueSlug } from '../../../testing.ts';
import { casesCsv, generateCases } from './generate.ts';

const script = fileURLToPath(new URL('../../../admin.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opsi-import-'));

function admin(args: string[]) {
  return spawnSync(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
}

describe('npm run admin -- import-cases / generate-cases', () => {
  it('generates the same file for the same seed, in CSV or JSON', () => {
    const csv = join(dir, 'a.csv');
    expect(admin(['generate-cases', '40', '--out', csv, '--seed', '3', '--prefix', 'G-']).status).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe(casesCsv(generateCases(40, { seed: 3, prefix: 'G-' })));
    const json = admin(['generate-cases', '3', '--format', 'json']);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { sourceId: string }[]).map((c) => c.sourceId)).toEqual([
      'OPSI-00001',
      'OPSI-00002',
      'OPSI-00003',
    ]);
    expect(admin(['generate-cases', 'many']).status).toBe(1);
  });

  it('reports rejected rows with their lines, exits 1, and imports the valid rows; a dry run writes nothing', () => {
    const prefix = `${uniqueSlug('cli')}-`;
    const file = join(dir, 'bad.csv');
    const good = casesCsv(generateCases(3, { prefix }));
    // After three cases whose bodies span several lines: a case with no title and a year out of range.
    const line = good.split('\n').length;
    writeFileSync(file, `${good}${prefix}x,,A summary long enough.,,France,justice,1200,City,local,pilot,,en\r\n`);

    const dry = admin(['import-cases', file, '--dry-run']);
    expect(dry.status).toBe(1);
    expect(dry.stdout).toContain('dry run: nothing was written');
    expect(dry.stdout).toMatch(/would insert: +3/);
    const first = admin(['import-cases', file]);
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/inserted: +3\n/);
    expect(first.stdout).toMatch(/rejected: +1\n/);
    expect(first.stdout).toContain(
      `line ${line} (sourceId ${prefix}x):\n    - title is required\n    - year must be 1900 or later`,
    );
    // Progress lines on a pipe (no terminal): plain lines.
    expect(first.stderr).toContain('Checked 4/4 rows');
    expect(first.stderr).toContain('Written 3/3 rows');

    const again = admin(['import-cases', file]);
    expect(again.stdout).toMatch(/inserted: +0\n {2}updated: +0\n {2}unchanged: 3\n/);
  });

  it('explains a file it cannot read', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"cases": [');
    const r = admin(['import-cases', broken]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not valid JSON');
    expect(admin(['import-cases', join(dir, 'missing.csv')]).stderr).toContain('Cannot read');
  });
});
