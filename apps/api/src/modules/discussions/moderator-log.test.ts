import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { LogPage } from '@opsi/contracts/moderation';
import type { PostRevisions } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, signUp, signUpAs, writePost, type Member } from '../../testing.ts';

let app: FastifyInstance;
let author: Member;
let moderator: Member;
let admin: Member;

beforeAll(async () => {
  app = await createTestApp();
  [author, moderator, admin] = await Promise.all([signUp(app), signUpAs(app, 'moderator'), signUpAs(app, 'admin')]);
});
afterAll(async () => {
  await app.close();
});

async function logOf(postId: string): Promise<LogPage['items']> {
  const res = await call(app, admin, { url: `/api/v1/moderation/log?targetType=post&target=${postId}` });
  expect(res.statusCode).toBe(200);
  return res.json<LogPage>().items;
}

describe('a moderator’s own changes to others’ posts', () => {
  it('go to the moderation log: edits, redactions and deletions, with who and why', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, 'First words, with a phone number 555-0100');
    const edited = await call(app, moderator, {
      method: 'PATCH',
      url: `/api/v1/posts/${p.id}`,
      payload: { body: 'Tidied' },
    });
    expect(edited.statusCode).toBe(200);
    const history = await call(app, moderator, { url: `/api/v1/posts/${p.id}/revisions` });
    const revisionId = history.json<PostRevisions>().items[0]!.id;
    const redacted = await call(app, moderator, {
      method: 'POST',
      url: `/api/v1/posts/${p.id}/revisions/${revisionId}/redaction`,
      payload: { reason: 'a phone number' },
    });
    expect(redacted.statusCode, redacted.body).toBe(200);
    expect((await call(app, moderator, { method: 'DELETE', url: `/api/v1/posts/${p.id}` })).statusCode).toBe(204);

    const log = await logOf(p.id);
    expect(log.map((e) => [e.action, e.actor, e.reason])).toEqual([
      ['delete', moderator.handle, ''],
      ['redact_revision', moderator.handle, 'a phone number'],
      ['edit', moderator.handle, ''],
    ]);
    expect(log[1]!.details).toEqual({ revisionId });
  });

  it('leave the author’s own edits and deletions out of it', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, 'Mine to change');
    expect(
      (await call(app, author, { method: 'PATCH', url: `/api/v1/posts/${p.id}`, payload: { body: 'Changed' } }))
        .statusCode,
    ).toBe(200);
    expect((await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${p.id}` })).statusCode).toBe(204);
    expect(await logOf(p.id)).toEqual([]);
  });
});
