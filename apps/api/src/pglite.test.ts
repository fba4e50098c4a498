/** The same flow on the embedded database: migrate, seed, browse, search; one process per folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createDatabase } from '@opsi/db/database';
import { DataDirLockedError } from '@opsi/db/lock';
import type { CaseList } from '@opsi/contracts/cases';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { signUp, writePost } from './testing.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'opsi-pglite-'));
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp({ config: loadConfig({ DATA_DIR: dataDir, SERVE_WEB: 'false', LOG_LEVEL: 'silent' }) });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded PGlite', () => {
  it('migrates, seeds the demo cases and serves them', async () => {
    expect((await app.inject('/api/ready')).json()).toEqual({ status: 'ready', database: 'pglite' });
    const list = (await app.inject('/api/v1/cases?limit=100')).json<CaseList>();
    expect(list.total).toBe(20);
    expect(list.items).toHaveLength(20);
    const search = (await app.inject('/api/v1/cases?q=procurement')).json<CaseList>();
    expect(search.items.length).toBeGreaterThan(0);
    const facets = await app.inject('/api/v1/cases/facets?theme=open-government');
    expect(facets.statusCode).toBe(200);
    const one = await app.inject(`/api/v1/cases/${list.items[0]!.slug}`);
    expect(one.statusCode).toBe(200);
    expect((await app.inject('/api/v1/countries')).json()).toHaveLength(249);
  });

  it('writes a post under the outbox writers’ lock; the bus and the notifier’s cursor read past it (the horizon plans here)', async () => {
    const member = await signUp(app);
    const heard: string[] = [];
    const unsubscribe = app.activities.subscribe((a) => heard.push(a.objectId));
    try {
      const post = await writePost(app, member, 'ukraine-procurement-risk-monitoring', 'Posted on PGlite');
      expect(heard).toContain(post.id);
      // The notifier's cursor (a consumer reading with the horizon computed in full) passes it too.
      await app.notifier.poke();
      const cursor = await app.database.kysely
        .selectFrom('outbox_cursors')
        .select('last_id')
        .where('name', '=', 'notifications')
        .executeTakeFirstOrThrow();
      const activity = await app.database.kysely
        .selectFrom('activities')
        .select('id')
        .where('object_type', '=', 'post')
        .where('object_id', '=', post.id)
        .executeTakeFirstOrThrow();
      expect(BigInt(cursor.last_id)).toBeGreaterThanOrEqual(BigInt(activity.id));
    } finally {
      unsubscribe();
    }
  });

  it('refuses a second process on the same data folder with a clear message', async () => {
    // The lock names a live pid: another process on this host would see exactly this.
    const error = await createDatabase({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(dataDir);
    expect((error as Error).message).toContain('DATABASE_URL');
  });

  it('stops a second server process on the same folder with that message', () => {
    const result = spawnSync(process.execPath, [fileURLToPath(new URL('./server.ts', import.meta.url))], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, SERVE_WEB: 'false', PORT: '0', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('already in use by another process');
  });
});
