/**
 * What each node keeps in memory about a member (their session, who they are, and what is theirs
 * in a thread) on two nodes of one database, each keeping it for an hour (MEMBER_CACHE_SECONDS):
 * a change through one node is right at once on that node, and on the other as soon as it has
 * heard the database's notification (`invalidationsHeard`), never when its memory expires. The
 * signed-in page is the same as the reference path (`forReader` on the public page) throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { Me } from '@opsi/contracts/profiles';
import {
  call,
  createTestApp,
  createTestCase,
  GOOD_PASSWORD,
  invalidationsHeard,
  listen,
  setRole,
  signUp,
  signUpAs,
  writePost,
  type Member,
} from '../../../testing.ts';

const HOUR = { MEMBER_CACHE_SECONDS: '3600', ABUSE_LIMITS: 'off' };
let a: FastifyInstance;
let b: FastifyInstance;
const origins = new Map<FastifyInstance, string>();
beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp(HOUR), createTestApp(HOUR)]);
  for (const node of [a, b]) origins.set(node, await listen(node));
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const me = (node: FastifyInstance, who: Member) => call(node, who, { url: '/api/v1/me' });
/**
 * The thread as `who` reads it on `node`: through Fastify (inject), and twice over HTTP, where a
 * repeated read is answered by the front (plugins/front.ts) from memory: all three the same.
 */
const thread = async (node: FastifyInstance, who: Member | null, slug: string) => {
  const url = `/api/v1/cases/${slug}/posts?limit=50`;
  const res = await call(node, who, { url });
  expect(res.statusCode, res.body).toBe(200);
  for (let i = 0; i < 2; i += 1) {
    const http = await call(origins.get(node)!, who, { url, headers: { 'accept-encoding': 'identity' } });
    expect(http.statusCode, http.body).toBe(200);
    expect(http.body).toBe(res.body);
  }
  return res.json<PostList>();
};

/** What the thread's reference path answers this member (their state read from the database). */
async function reference(node: FastifyInstance, who: Member, slug: string): Promise<PostList> {
  const page = await node.discussions.list(slug, { limit: 50 }, null);
  const fresh = node.discussions;
  return JSON.parse(
    JSON.stringify(await fresh.forReader(page, slug, { id: who.user.id, role: who.user.role as 'member' })),
  ) as PostList;
}

describe('sessions kept in memory on two nodes', () => {
  it('sign-out through node A: refused at once on A, and on B once it heard of it', async () => {
    const member = await signUp(a);
    expect((await me(a, member)).statusCode).toBe(200);
    expect((await me(b, member)).statusCode).toBe(200);
    expect((await call(a, member, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await me(a, member)).statusCode).toBe(401);
    await invalidationsHeard();
    expect((await me(b, member)).statusCode).toBe(401);
  });

  it('suspension, role change and deletion through node A reach the sessions held by node B', async () => {
    const [moderator, admin] = await Promise.all([signUpAs(a, 'moderator'), signUpAs(a, 'admin')]);
    const [suspended, promoted, leaving] = await Promise.all([signUp(a), signUp(a), signUp(a)]);
    for (const who of [suspended, promoted, leaving]) expect((await me(b, who)).statusCode).toBe(200);
    expect((await call(b, promoted, { url: '/api/v1/moderation/log' })).statusCode).toBe(403);

    const suspend = await call(a, moderator, {
      method: 'POST',
      url: `/api/v1/moderation/people/${suspended.handle}/suspension`,
      payload: { reason: 'Spam', days: 3 },
    });
    expect(suspend.statusCode).toBe(200);
    const role = await call(a, admin, {
      method: 'PUT',
      url: `/api/v1/admin/people/${promoted.handle}/role`,
      payload: { role: 'moderator', reason: 'Helps' },
    });
    expect(role.statusCode).toBe(200);
    const gone = await call(a, leaving, {
      method: 'DELETE',
      url: '/api/v1/me',
      payload: { password: GOOD_PASSWORD, posts: 'anonymise' },
    });
    expect(gone.statusCode, gone.body).toBe(204);
    // On node A at once.
    expect((await me(a, suspended)).statusCode).toBe(401);
    expect((await me(a, promoted)).json<Me>().user.role).toBe('moderator');
    await invalidationsHeard();
    expect((await me(b, suspended)).statusCode).toBe(401);
    expect((await me(b, promoted)).json<Me>().user.role).toBe('moderator');
    expect((await call(b, promoted, { url: '/api/v1/moderation/log' })).statusCode).toBe(200);
    expect((await me(b, leaving)).statusCode).toBe(401);

    // A change made outside the API (`npm run admin -- set-role`) reaches both.
    await setRole(a.database.kysely, promoted.handle, 'member');
    for (const node of [a, b]) expect((await me(node, promoted)).json<Me>().user.role).toBe('member');
  });

  it('a new display name shows on both nodes', async () => {
    const member = await signUp(a);
    expect((await me(b, member)).statusCode).toBe(200);
    const res = await call(a, member, {
      method: 'PATCH',
      url: '/api/v1/me/profile',
      payload: { displayName: 'Renamed' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await me(a, member)).json<Me>().user.displayName).toBe('Renamed');
    await invalidationsHeard();
    expect((await me(b, member)).json<Me>().user.displayName).toBe('Renamed');
  });
});

describe('a reader’s own state in a thread, kept in memory on two nodes', () => {
  it('reactions, read marker and blocks are right at once on the writer’s node and on the other once heard', async () => {
    const slug = await createTestCase(a);
    const [reader, author, other] = await Promise.all([signUp(a), signUp(a), signUp(a)]);
    const posts: Post[] = [];
    for (let i = 0; i < 6; i += 1) posts.push(await writePost(a, i % 2 ? author : other, slug, `Post ${i}`));
    // Both nodes hold the reader's state.
    for (const node of [a, b]) expect(await thread(node, reader, slug)).toEqual(await reference(node, reader, slug));

    const react = await call(a, reader, { method: 'PUT', url: `/api/v1/posts/${posts[1]!.id}/reactions/insightful` });
    expect(react.statusCode).toBe(200);
    const read = await call(a, reader, {
      method: 'PUT',
      url: `/api/v1/cases/${slug}/read`,
      payload: { lastReadPostId: posts[3]!.id },
    });
    expect(read.statusCode).toBe(204);
    const block = await call(a, reader, { method: 'PUT', url: `/api/v1/me/blocks/${author.handle}` });
    expect(block.statusCode, block.body).toBe(200);

    const check = (page: PostList) => {
      expect(page.items.find((p) => p.id === posts[1]!.id)?.myReactions).toEqual(['insightful']);
      expect(page.lastReadPostId).toBe(posts[3]!.id);
      expect(page.items.filter((p) => p.authorBlocked).map((p) => p.id)).toEqual([
        posts[1]!.id,
        posts[3]!.id,
        posts[5]!.id,
      ]);
    };
    check(await thread(a, reader, slug));
    await invalidationsHeard();
    check(await thread(b, reader, slug));
    for (const node of [a, b]) expect(await thread(node, reader, slug)).toEqual(await reference(node, reader, slug));

    // Taken back through node B: right on both.
    await call(b, reader, { method: 'DELETE', url: `/api/v1/posts/${posts[1]!.id}/reactions/insightful` });
    await call(b, reader, { method: 'DELETE', url: `/api/v1/me/blocks/${author.handle}` });
    expect((await thread(b, reader, slug)).items.find((p) => p.id === posts[1]!.id)?.myReactions).toEqual([]);
    await invalidationsHeard();
    for (const node of [a, b]) {
      const page = await thread(node, reader, slug);
      expect(page.items.find((p) => p.id === posts[1]!.id)?.myReactions).toEqual([]);
      expect(page.items.some((p) => p.authorBlocked)).toBe(false);
      expect(page).toEqual(await reference(node, reader, slug));
    }
    // Others' state is theirs: another reader sees none of it.
    expect((await thread(b, other, slug)).items.every((p) => p.myReactions?.length === 0 && !p.authorBlocked)).toBe(
      true,
    );
  });

  it('a hidden post: its author and moderators read it on both nodes, others get the tombstone', async () => {
    const slug = await createTestCase(a);
    const [author, reader, moderator] = await Promise.all([signUp(a), signUp(a), signUpAs(a, 'moderator')]);
    const post = await writePost(a, author, slug, 'Soon hidden');
    for (const who of [author, reader, moderator]) await thread(b, who, slug);
    const hide = await call(a, moderator, {
      method: 'POST',
      url: `/api/v1/moderation/posts/${post.id}/hidden`,
      payload: { reason: 'Off topic' },
    });
    expect(hide.statusCode, hide.body).toBe(200);
    await a.activities.poke();
    await b.activities.poke();
    for (const node of [a, b]) {
      for (const who of [author, moderator]) {
        const seen = (await thread(node, who, slug)).items.find((p) => p.id === post.id);
        expect(seen).toMatchObject({ hidden: true, body: 'Soon hidden', hiddenReason: 'Off topic' });
      }
      expect((await thread(node, reader, slug)).items.find((p) => p.id === post.id)).toMatchObject({
        hidden: true,
        body: '',
      });
      expect((await thread(node, null, slug)).items.find((p) => p.id === post.id)).toMatchObject({
        hidden: true,
        body: '',
      });
      for (const who of [author, moderator, reader])
        expect(await thread(node, who, slug)).toEqual(await reference(node, who, slug));
    }
  });
});

describe('the front on both nodes', () => {
  it('answered repeated reads above from memory (the comparisons held for its answers too)', () => {
    expect(a.front.answered()).toBeGreaterThan(5);
    expect(b.front.answered()).toBeGreaterThan(5);
  });
});
