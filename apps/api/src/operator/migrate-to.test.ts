/**
 * `npm run admin -- migrate-to`: a pilot's embedded database copied into a throwaway PostgreSQL
 * reads back the same rows, and the app runs on it (the thread, a sign-in, a new post whose id
 * follows the copied ones); a target with rows is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostList } from '@opsi/contracts/discussions';
import { startThrowawayPostgres } from '../../../../infra/throwaway-postgres.ts';
import { call, createTestApp, sessionCookie, signIn, writePost } from '../testing.ts';
import { admin, embeddedApp, pilotRows, writePilotData } from './testing.ts';

const scratch = mkdtempSync(join(tmpdir(), 'opsi-move-'));
const postgres = await startThrowawayPostgres({ database: 'opsi_moved' });
afterAll(() => {
  postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('migrate-to', () => {
  it('copies the embedded database into an empty PostgreSQL, where the app runs on', async () => {
    const dataDir = join(scratch, 'pilot');
    const app = await embeddedApp(dataDir);
    let before: Awaited<ReturnType<typeof pilotRows>>;
    let caseSlug: string;
    let member: string;
    try {
      ({ caseSlug, member } = await writePilotData(app));
      before = await pilotRows(app);
    } finally {
      await app.close();
    }

    const moved = await admin(['migrate-to', postgres.url], { DATA_DIR: dataDir });
    expect(moved.status, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/Copied \d+ rows in \d+ tables and \d+ sequences/);
    expect(moved.stderr).toMatch(/^ {2}posts: \d+ rows$/m);

    const onPostgres = await createTestApp({ DATABASE_URL: postgres.url });
    try {
      expect(await pilotRows(onPostgres)).toEqual(before);
      const thread = await call(onPostgres, null, { method: 'GET', url: `/api/v1/cases/${caseSlug}/posts` });
      expect(thread.statusCode).toBe(200);
      const bodies = thread.json<PostList>().items.map((p) => p.body);
      expect(bodies).toContain('A reply');
      // The copied member signs in with their password; a new post takes the next id.
      const signedIn = await signIn(onPostgres, `${member}@example.org`);
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      const post = await writePost(onPostgres, { cookie: sessionCookie(signedIn) }, caseSlug, 'Written on PostgreSQL');
      expect(BigInt(post.id)).toBeGreaterThan(BigInt(before.posts.at(-1)!.id));
    } finally {
      await onPostgres.close();
    }

    const again = await admin(['migrate-to', postgres.url], { DATA_DIR: dataDir });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('The target database is not empty (rows in ');
  }, 300_000);
});
