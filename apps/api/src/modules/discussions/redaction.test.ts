import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Post, PostRevisions } from '@opsi/contracts/discussions';
import type { NotificationList } from '@opsi/contracts/follows';
import { appForFile, call, createTestCase, signUpAll, writePost, type Member } from '../../testing.ts';

const app = await appForFile();
const [author, other, moderator, admin] = await signUpAll(app, 'member', 'member', 'moderator', 'admin');

async function edit(who: Member, id: string, payload: Record<string, unknown>) {
  return call(app, who, { method: 'PATCH', url: `/api/v1/posts/${id}`, payload });
}

async function history(who: Member | null, id: string): Promise<PostRevisions> {
  const res = await call(app, who, { method: 'GET', url: `/api/v1/posts/${id}/revisions` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PostRevisions>();
}

function redact(who: Member | null, id: string, revisionId: string, payload: unknown = { reason: 'personal data' }) {
  return call(app, who, {
    method: 'POST',
    url: `/api/v1/posts/${id}/revisions/${revisionId}/redaction`,
    payload: payload as Record<string, unknown>,
  });
}

/** Every stored place the text could still be: revisions, posts, activities, notifications. */
async function occurrences(text: string): Promise<Record<string, number>> {
  const pattern = `%${text}%`;
  const { rows } = await sql<{ revisions: string; posts: string; activities: string; notifications: string }>`
    select
      (select count(*) from post_revisions where body like ${pattern} or body_html like ${pattern}) as revisions,
      (select count(*) from posts where body like ${pattern} or body_html like ${pattern}) as posts,
      (select count(*) from activities where payload::text like ${pattern}) as activities,
      (select count(*) from notifications where payload::text like ${pattern}) as notifications
  `.execute(app.database.kysely);
  const row = rows[0]!;
  return {
    revisions: Number(row.revisions),
    posts: Number(row.posts),
    activities: Number(row.activities),
    notifications: Number(row.notifications),
  };
}

describe('redacting an earlier version of a post', () => {
  it('blanks the stored text for everyone, records who, when and why, and keeps the rest of the history', async () => {
    const slug = await createTestCase(app);
    const secret = `call me on 555-${Date.now().toString(36)}`;
    const p = await writePost(app, author, slug, `First version: ${secret}`);
    expect((await edit(author, p.id, { body: 'Second version, by the author' })).statusCode).toBe(200);
    expect((await edit(moderator, p.id, { body: 'Third version, tidied by a moderator' })).statusCode).toBe(200);

    const before = await history(null, p.id);
    expect(before.items.map((r) => r.redacted)).toEqual([false, false]);
    const target = before.items[1]!;
    expect(target.body).toContain(secret);
    expect((await occurrences(secret)).revisions).toBe(1);

    const res = await redact(moderator, p.id, target.id, { reason: 'a phone number' });
    expect(res.statusCode, res.body).toBe(200);
    const answered = res.json<PostRevisions>();
    expect(answered.items[1]).toMatchObject({ id: target.id, redacted: true, body: '', bodyHtml: '' });

    for (const who of [null, author, other, moderator]) {
      const seen = await history(who, p.id);
      expect(seen.current.body).toBe('Third version, tidied by a moderator');
      expect(seen.items[0]).toMatchObject({ body: 'Second version, by the author', redacted: false, redactedAt: null });
      expect(seen.items[1]).toMatchObject({
        id: target.id,
        body: '',
        bodyHtml: '',
        redacted: true,
        writtenAt: target.writtenAt,
        replacedAt: target.replacedAt,
      });
      expect(Date.parse(seen.items[1]!.redactedAt!)).not.toBeNaN();
      expect(JSON.stringify(seen)).not.toContain(secret);
    }

    // The text is gone from the database, not hidden by the API.
    expect(await occurrences(secret)).toEqual({ revisions: 0, posts: 0, activities: 0, notifications: 0 });
    const stored = await app.database.kysely
      .selectFrom('post_revisions')
      .select(['body', 'body_html', 'redacted_at', 'redacted_by', 'redaction_reason'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      body: '',
      body_html: '',
      redacted_by: moderator.user.id,
      redaction_reason: 'a phone number',
    });
    expect(stored.redacted_at).toBeInstanceOf(Date);
    // Recorded through the outbox, not public.
    const recorded = await app.database.kysely
      .selectFrom('activities')
      .select(['verb', 'object_type', 'object_id', 'actor_id', 'public', 'payload'])
      .where('verb', '=', 'revision_redacted')
      .where('object_id', '=', p.id)
      .execute();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      object_type: 'post',
      actor_id: moderator.user.id,
      public: false,
      payload: { postId: p.id, revisionId: target.id, reason: 'a phone number' },
    });

    // Again: nothing changes (the first redaction is the one on record).
    const again = await redact(admin, p.id, target.id, { reason: 'twice' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<PostRevisions>().items[1]?.redactedAt).toBe(answered.items[1]?.redactedAt);
    const reason = await app.database.kysely
      .selectFrom('post_revisions')
      .select('redaction_reason')
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(reason.redaction_reason).toBe('a phone number');
  });

  it('is for moderators and admins only, and answers 404 for what does not exist', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, 'original words');
    await edit(author, p.id, { body: 'new words' });
    const [revision] = (await history(null, p.id)).items;
    const elsewhere = await writePost(app, other, slug, 'another post');
    await edit(other, elsewhere.id, { body: 'another post, edited' });
    const [foreign] = (await history(null, elsewhere.id)).items;

    expect((await redact(null, p.id, revision!.id)).statusCode).toBe(401);
    expect((await redact(author, p.id, revision!.id)).statusCode).toBe(403);
    expect((await redact(other, p.id, revision!.id)).statusCode).toBe(403);
    expect((await history(null, p.id)).items[0]).toMatchObject({ body: 'original words', redacted: false });

    expect((await redact(moderator, p.id, '999999999')).statusCode).toBe(404);
    expect((await redact(moderator, '999999999', revision!.id)).statusCode).toBe(404);
    expect((await redact(moderator, p.id, foreign!.id)).statusCode).toBe(404);
    expect((await redact(moderator, p.id, 'abc')).statusCode).toBe(400);

    for (const payload of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(501) },
      { reason: 'a\u0000b' },
    ]) {
      const res = await redact(moderator, p.id, revision!.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json<{ error: { details: unknown } }>().error.details)).toContain('reason');
    }
    expect((await history(null, p.id)).items[0]?.redacted).toBe(false);

    expect((await redact(admin, p.id, revision!.id)).statusCode).toBe(200);
    expect((await history(author, p.id)).items[0]).toMatchObject({ body: '', bodyHtml: '', redacted: true });
  });

  it('lets a moderator redact the version they replace in the same edit', async () => {
    const slug = await createTestCase(app);
    const secret = `home address ${Date.now().toString(36)}`;
    const p = await writePost(app, author, slug, `Visit me at ${secret}`);

    const refused = await edit(author, p.id, { body: 'mine', redactPrevious: { reason: 'oops' } });
    expect(refused.statusCode).toBe(403);
    expect((await history(null, p.id)).current.body).toContain(secret);

    const res = await edit(moderator, p.id, {
      body: 'Address removed by a moderator',
      redactPrevious: { reason: 'an address' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Post>().body).toBe('Address removed by a moderator');
    const seen = await history(null, p.id);
    expect(seen.items).toHaveLength(1);
    expect(seen.items[0]).toMatchObject({ redacted: true, body: '', bodyHtml: '' });
    expect((await occurrences(secret)).revisions).toBe(0);
  });

  it('takes the redacted text out of the notifications that quoted it', async () => {
    const slug = await createTestCase(app);
    const secret = `private number 555-${Date.now().toString(36)}`;
    const p = await writePost(app, author, slug, `Hello @${other.handle}, my ${secret}`);
    await app.notifier.poke();
    const told = (await call(app, other, { method: 'GET', url: '/api/v1/me/notifications' })).json<NotificationList>();
    expect(told.items.find((n) => n.kind === 'mention')?.excerpt).toContain(secret);

    await edit(moderator, p.id, { body: `Hello @${other.handle}, number removed by a moderator` });
    const [revision] = (await history(null, p.id)).items;
    expect((await redact(moderator, p.id, revision!.id)).statusCode).toBe(200);
    await app.notifier.poke();

    const now = (await call(app, other, { method: 'GET', url: '/api/v1/me/notifications' })).json<NotificationList>();
    const mention = now.items.find((n) => n.kind === 'mention');
    expect(mention?.excerpt).toContain('number removed by a moderator');
    expect(JSON.stringify(now)).not.toContain(secret);
    expect(await occurrences(secret)).toEqual({ revisions: 0, posts: 0, activities: 0, notifications: 0 });
  });
});
