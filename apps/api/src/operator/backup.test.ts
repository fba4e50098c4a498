/**
 * `npm run admin -- backup` and `restore`, on both engines: a backup restored into a fresh database
 * reads back the same members, cases, posts, RSVPs and follows; a database with tables is replaced
 * only with --force; a backup of one engine is not restored into the other.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, testDatabaseUrl } from '../testing.ts';
import { admin, embeddedApp, pilotRows, writePilotData } from './testing.ts';

const scratch = mkdtempSync(join(tmpdir(), 'opsi-backup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('backup and restore, embedded', () => {
  it('copies the data folder and restores it into a fresh one; a second restore needs --force', async () => {
    const dataDir = join(scratch, 'pilot');
    const app = await embeddedApp(dataDir);
    let before: Awaited<ReturnType<typeof pilotRows>>;
    try {
      await writePilotData(app);
      before = await pilotRows(app);
    } finally {
      await app.close();
    }
    const file = join(scratch, 'pilot.tar.gz');
    const backup = await admin(['backup', file], { DATA_DIR: dataDir });
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(backup.stdout).toContain(`Backed up the embedded database to ${file}`);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const fresh = join(scratch, 'fresh');
    const restored = await admin(['restore', file], { DATA_DIR: fresh });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    const again = await admin(['restore', file], { DATA_DIR: fresh });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is not empty \(\d+ tables, \d+ members\).*--force/);
    const forced = await admin(['restore', file, '--force'], { DATA_DIR: fresh });
    expect(forced.status).toBe(0);
    const kept = /kept in (\S+) /.exec(forced.stdout)?.[1];
    expect(kept && existsSync(join(kept, 'PG_VERSION'))).toBe(true);

    const back = await embeddedApp(fresh);
    try {
      expect(await pilotRows(back)).toEqual(before);
      expect(before.posts.length).toBeGreaterThanOrEqual(2);
      expect(before.rsvps.length).toBeGreaterThanOrEqual(2);
      expect(before.follows.length).toBeGreaterThanOrEqual(2);
    } finally {
      await back.close();
    }
    const wrongEngine = await admin(['restore', file], { DATABASE_URL: testDatabaseUrl() });
    expect(wrongEngine.status).toBe(1);
    expect(wrongEngine.stderr).toContain('is a backup of the embedded database');
  }, 300_000);
});

async function onMaintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(testDatabaseUrl());
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('backup and restore, PostgreSQL', () => {
  it('dumps with pg_dump and restores into an empty database; a database with tables needs --force', async () => {
    const app = await createTestApp();
    let before: Awaited<ReturnType<typeof pilotRows>>;
    try {
      await writePilotData(app);
      before = await pilotRows(app);
    } finally {
      await app.close();
    }
    const file = join(scratch, 'pilot.pgdump');
    const backup = await admin(['backup', file], { DATABASE_URL: testDatabaseUrl() });
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');

    const name = `opsi_restore_${process.pid}`;
    await onMaintenance((c) => c.query(`CREATE DATABASE ${name}`));
    const target = new URL(testDatabaseUrl());
    target.pathname = `/${name}`;
    try {
      const restored = await admin(['restore', file], { DATABASE_URL: target.toString() });
      expect(restored.stderr).toBe('');
      expect(restored.status).toBe(0);
      const refused = await admin(['restore', file], { DATABASE_URL: target.toString() });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/The PostgreSQL database is not empty.*--force/);
      const forced = await admin(['restore', file, '--force'], { DATABASE_URL: target.toString() });
      expect(forced.stderr).toBe('');
      expect(forced.status).toBe(0);

      const back = await createTestApp({ DATABASE_URL: target.toString() });
      try {
        expect(await pilotRows(back)).toEqual(before);
      } finally {
        await back.close();
      }
      const wrongEngine = await admin(['restore', file], { DATA_DIR: join(scratch, 'other') });
      expect(wrongEngine.status).toBe(1);
      expect(wrongEngine.stderr).toContain('is a PostgreSQL backup (pg_dump)');
    } finally {
      await onMaintenance((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});
