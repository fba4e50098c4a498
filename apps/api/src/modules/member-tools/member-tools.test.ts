/** Blocks and muted case threads: the API, and what they silence elsewhere (posts, replies, follows, notifications). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { NotificationList } from '@opsi/contracts/follows';
import { call, createTestApp, createTestCase, signUp, signUpAs, writePost, type Member } from '../../testing.ts';
import { notificationsWritten } from '../../testing-until.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

async function notifications(who: Member): Promise<NotificationList> {
  await notificationsWritten(app);
  const res = await call(app, who, { url: '/api/v1/me/notifications' });
  expect(res.statusCode).toBe(200);
  return res.json<NotificationList>();
}

const block = (who: Member | null, handle: string, method: 'PUT' | 'DELETE' = 'PUT') =>
  call(app, who, { method, url: `/api/v1/me/blocks/${handle}` });

describe('blocks', () => {
  it('block and unblock are idempotent, listed, and refuse yourself, unknown members and anonymous callers', async () => {
    const [ana, ben] = [await signUp(app), await signUp(app)];
    for (let i = 0; i < 2; i += 1) {
      const res = await block(ana, ben.handle);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ handle: ben.handle, blocked: true });
    }
    const list = await call(app, ana, { url: '/api/v1/me/blocks' });
    expect(list.json<{ items: { handle: string }[] }>().items.map((i) => i.handle)).toEqual([ben.handle]);
    expect((await call(app, ana, { url: `/api/v1/me/blocks/${ben.handle}` })).json()).toMatchObject({ blocked: true });
    expect((await call(app, ben, { url: `/api/v1/me/blocks/${ana.handle}` })).json()).toMatchObject({ blocked: false });

    const self = await block(ana, ana.handle);
    expect(self.statusCode).toBe(422);
    expect(self.json().error.details[0]).toMatchObject({ field: 'handle', code: 'cannot_block_self' });
    expect((await block(ana, 'no-such-member')).statusCode).toBe(404);
    expect((await block(null, ben.handle)).statusCode).toBe(401);
    expect((await call(app, null, { url: '/api/v1/me/blocks' })).statusCode).toBe(401);

    for (let i = 0; i < 2; i += 1) {
      const res = await block(ana, ben.handle, 'DELETE');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ handle: ben.handle, blocked: false });
    }
    expect((await call(app, ana, { url: '/api/v1/me/blocks' })).json()).toEqual({ items: [] });
  });

  it('collapses the blocked member’s posts for the blocker only, in the thread and a single post', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    const post = await writePost(app, ben, slug, 'Hello from Ben');
    await writePost(app, cleo, slug, 'Hello from Cleo');
    await block(ana, ben.handle);

    const thread = (who: Member | null) =>
      call(app, who, { url: `/api/v1/cases/${slug}/posts` }).then((r) => r.json<PostList>().items);
    const forAna = await thread(ana);
    expect(forAna.find((p) => p.id === post.id)?.authorBlocked).toBe(true);
    expect(forAna.find((p) => p.author.handle === cleo.handle)?.authorBlocked).toBeUndefined();
    expect((await thread(cleo)).some((p) => p.authorBlocked)).toBe(false);
    expect((await thread(null)).some((p) => p.authorBlocked)).toBe(false);

    await block(ana, ben.handle, 'DELETE');
    expect((await thread(ana)).some((p) => p.authorBlocked)).toBe(false);
  });

  it('silences the blocked member’s mentions and replies: the blocker is not notified, others still are', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    await block(ana, ben.handle);
    await writePost(app, ben, slug, `Dear @${ana.handle} and @${cleo.handle}, look`);
    expect((await notifications(cleo)).items.map((n) => n.kind)).toEqual(['mention']);
    expect((await notifications(ana)).items).toEqual([]);

    // Nor anything else they do: a new post in a case Ana follows.
    await call(app, ana, { method: 'PUT', url: `/api/v1/follows/case/${slug}` });
    await writePost(app, ben, slug, 'Another one');
    expect((await notifications(ana)).items).toEqual([]);
    await writePost(app, cleo, slug, 'From Cleo');
    expect((await notifications(ana)).items.map((n) => n.kind)).toEqual(['new_post']);
    // Nor in her feed (which the digest reads): Cleo's post only.
    const feed = await call(app, ana, { url: '/api/v1/me/feed' });
    const actors = feed.json<{ items: { actor: { handle: string } | null }[] }>().items.map((i) => i.actor?.handle);
    expect(actors).toContain(cleo.handle);
    expect(actors).not.toContain(ben.handle);
  });

  it('refuses the blocked member’s replies to the blocker’s posts (422 blocked), not to others’', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    const anas: Post = await writePost(app, ana, slug, 'A question from Ana');
    const cleos: Post = await writePost(app, cleo, slug, 'A question from Cleo');
    await block(ana, ben.handle);
    const reply = await call(app, ben, {
      method: 'POST',
      url: `/api/v1/cases/${slug}/posts`,
      payload: { body: 'An answer', parentId: anas.id },
    });
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.details[0]).toMatchObject({ field: 'parentId', code: 'blocked' });
    await writePost(app, ben, slug, { body: 'An answer', parentId: cleos.id });
    // Ana may still reply to Ben's posts.
    const bens = await writePost(app, ben, slug, 'Ben asks');
    await writePost(app, ana, slug, { body: 'Ana answers', parentId: bens.id });
  });

  it('ends the blocked member’s follow of the blocker and refuses a new one (422 blocked)', async () => {
    const [ana, ben] = [await signUp(app), await signUp(app)];
    const follow = () => call(app, ben, { method: 'PUT', url: `/api/v1/follows/person/${ana.handle}` });
    expect((await follow()).statusCode).toBe(200);
    await block(ana, ben.handle);
    const state = await call(app, ben, { url: `/api/v1/follows/person/${ana.handle}` });
    expect(state.json()).toMatchObject({ following: false, followerCount: 0 });
    const again = await follow();
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details[0]).toMatchObject({ field: 'key', code: 'blocked' });
    await block(ana, ben.handle, 'DELETE');
    expect((await follow()).statusCode).toBe(200);
  });
});

describe('muted case threads', () => {
  it('a muted thread notifies nothing, mentions included; unmuting brings it back', async () => {
    const [ana, ben] = [await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    const mine = await writePost(app, ana, slug, 'My question');
    const mute = (method: 'PUT' | 'DELETE' | 'GET') =>
      call(app, ana, { method, url: `/api/v1/me/mutes/cases/${slug}` });
    expect((await mute('PUT')).json()).toEqual({ caseSlug: slug, muted: true });
    expect((await mute('PUT')).statusCode).toBe(200);
    expect((await mute('GET')).json()).toEqual({ caseSlug: slug, muted: true });
    const listed = await call(app, ana, { url: '/api/v1/me/mutes' });
    expect(listed.json()).toMatchObject({ items: [{ caseSlug: slug, level: 'muted' }] });

    await writePost(app, ben, slug, { body: `A reply for @${ana.handle}`, parentId: mine.id });
    expect((await notifications(ana)).items).toEqual([]);

    expect((await mute('DELETE')).json()).toEqual({ caseSlug: slug, muted: false });
    expect((await mute('DELETE')).statusCode).toBe(200);
    await writePost(app, ben, slug, { body: 'Another reply', parentId: mine.id });
    expect((await notifications(ana)).items.map((n) => n.kind)).toEqual(['reply']);
    expect((await call(app, ana, { method: 'PUT', url: '/api/v1/me/mutes/cases/no-such-case' })).statusCode).toBe(404);
  });
});

describe('authorization of the member tools', () => {
  it('answers anonymous callers 401 and every signed-in role for themselves', async () => {
    const target = await signUp(app);
    const slug = await createTestCase(app);
    const routes = [
      { method: 'GET', url: '/api/v1/me/blocks' },
      { method: 'GET', url: `/api/v1/me/blocks/${target.handle}` },
      { method: 'PUT', url: `/api/v1/me/blocks/${target.handle}` },
      { method: 'DELETE', url: `/api/v1/me/blocks/${target.handle}` },
      { method: 'GET', url: '/api/v1/me/mutes' },
      { method: 'GET', url: `/api/v1/me/mutes/cases/${slug}` },
      { method: 'PUT', url: `/api/v1/me/mutes/cases/${slug}` },
      { method: 'DELETE', url: `/api/v1/me/mutes/cases/${slug}` },
      { method: 'GET', url: '/api/v1/me/threads' },
      { method: 'GET', url: `/api/v1/me/threads/cases/${slug}` },
      { method: 'PUT', url: `/api/v1/me/threads/cases/${slug}`, payload: { level: 'watching' } },
    ] as const;
    const roles = ['member', 'organiser', 'moderator', 'admin'] as const;
    const people = await Promise.all(roles.map((r) => signUpAs(app, r)));
    for (const route of routes) {
      expect((await call(app, null, route)).statusCode, `${route.method} ${route.url} anonymous`).toBe(401);
      for (const [i, who] of people.entries()) {
        expect((await call(app, who, route)).statusCode, `${route.method} ${route.url} ${roles[i]}`).toBe(200);
      }
    }
  });
});
