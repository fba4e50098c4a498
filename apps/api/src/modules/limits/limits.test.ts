/**
 * Per-member limits against floods (issue 10, item 3): posts and replies, edits, mentions per post,
 * reactions and follows, counted in PostgreSQL so they hold across the nodes of a cluster; a
 * member told once that someone follows them, however often that person toggles; and
 * ABUSE_LIMITS=off lifting them all for load tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Post } from '@opsi/contracts/discussions';
import type { NotificationList } from '@opsi/contracts/follows';
import {
  call,
  createTestApp,
  createTestCase,
  signUp,
  testClock,
  writePost as post,
  type Member,
} from '../../testing.ts';
import { notificationsWritten } from '../../testing-until.ts';

const LOW = {
  RATE_LIMIT_PER_MINUTE: '100000',
  POSTS_PER_MINUTE: '3',
  MENTIONS_PER_POST: '3',
  REACTIONS_PER_MINUTE: '3',
  FOLLOWS_PER_HOUR: '4',
};

/**
 * Two nodes of one cluster (same database, same limits), one with ABUSE_LIMITS=off, and one whose
 * clock the test moves (it starts at the real time).
 */
let limited: FastifyInstance;
let twin: FastifyInstance;
let lifted: FastifyInstance;
let timed: FastifyInstance;
const start = Date.now();
const clock = testClock(new Date(start));

beforeAll(async () => {
  [limited, twin, lifted, timed] = await Promise.all([
    createTestApp(LOW),
    createTestApp(LOW),
    createTestApp({ ...LOW, ABUSE_LIMITS: 'off' }),
    createTestApp(LOW, { clock }),
  ]);
});
afterAll(async () => {
  await Promise.all([limited, twin, lifted, timed].map((app) => app.close()));
});

/** A post that may be refused. */
function write(app: FastifyInstance, who: Member, slug: string, payload: Record<string, unknown>) {
  return call(app, who, { method: 'POST', url: `/api/v1/cases/${slug}/posts`, payload });
}

interface Refusal {
  code: string;
  message: string;
  details: { field: string; message: string; limit: string; max: number; retryAfter?: number }[];
}

/** A 429 with Retry-After (1..window seconds), the rate_limited code and the limit named. */
function expectRateLimited(res: LightMyRequestResponse, limit: string, field: string, windowSeconds: number) {
  expect(res.statusCode, res.body).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  const { error } = res.json<{ error: Refusal }>();
  expect(error.code).toBe('rate_limited');
  expect(error.details).toHaveLength(1);
  expect(error.details[0]).toMatchObject({ field, limit, retryAfter });
  expect(error.message).toMatch(/too fast/);
  return error;
}

async function notifications(app: FastifyInstance, who: Member) {
  await notificationsWritten(app);
  const res = await call(app, who, { method: 'GET', url: '/api/v1/me/notifications?limit=50' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NotificationList>().items;
}

describe('posts and replies per member per minute (POSTS_PER_MINUTE)', () => {
  it('allows N, then answers 429 with Retry-After and says which limit; nothing is stored', async () => {
    const slug = await createTestCase(limited);
    const [ana, ben] = await Promise.all([signUp(limited), signUp(limited)]);
    const first = await post(limited, ana, slug, { body: 'One', clientId: 'ana-1' });
    await post(limited, ana, slug, { body: 'A reply', parentId: first.id });
    await post(limited, ana, slug, { body: 'Three' });
    const refused = await write(limited, ana, slug, { body: 'Four' });
    const error = expectRateLimited(refused, 'posts_per_minute', 'body', 60);
    expect(error.details[0]?.max).toBe(3);
    expect(error.message).toMatch(/try again in \d+ seconds?/i);
    // A reply counts the same.
    expectRateLimited(
      await write(limited, ana, slug, { body: 'Reply', parentId: first.id }),
      'posts_per_minute',
      'body',
      60,
    );
    // A retry of a post already written (same clientId) is not a new post: it still answers.
    const again = await write(limited, ana, slug, { body: 'One', clientId: 'ana-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json<Post>().id).toBe(first.id);
    // Someone else is not held back by Ana.
    await post(limited, ben, slug, { body: 'Ben is fine' });
    const thread = await limited.inject({ method: 'GET', url: `/api/v1/cases/${slug}/posts` });
    expect(thread.json<{ items: Post[] }>().items.map((p) => p.body)).toEqual([
      'One',
      'A reply',
      'Three',
      'Ben is fine',
    ]);
  });

  it('counts edits apart, with the same allowance', async () => {
    const slug = await createTestCase(limited);
    const eve = await signUp(limited);
    const mine = await post(limited, eve, slug, { body: 'Draft 0' });
    for (let i = 1; i <= 3; i += 1) {
      const res = await call(limited, eve, {
        method: 'PATCH',
        url: `/api/v1/posts/${mine.id}`,
        payload: { body: `Draft ${i}` },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const refused = await call(limited, eve, {
      method: 'PATCH',
      url: `/api/v1/posts/${mine.id}`,
      payload: { body: 'Draft 4' },
    });
    expectRateLimited(refused, 'edits_per_minute', 'body', 60);
    // Editing did not use up posting.
    await post(limited, eve, slug, { body: 'A new post' });
  });

  it('holds across two nodes on one database', async () => {
    const slug = await createTestCase(limited);
    const max = await signUp(limited);
    await post(limited, max, slug, { body: 'Node A, 1' });
    await post(twin, max, slug, { body: 'Node B, 2' });
    await post(limited, max, slug, { body: 'Node A, 3' });
    expectRateLimited(await write(twin, max, slug, { body: 'Node B, 4' }), 'posts_per_minute', 'body', 60);
    expectRateLimited(await write(limited, max, slug, { body: 'Node A, 4' }), 'posts_per_minute', 'body', 60);
    // At the same moment on both nodes: exactly the allowance gets through.
    const rush = await signUp(limited);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => write(i % 2 ? twin : limited, rush, slug, { body: `Rush ${i}` })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 429, 429, 429, 429, 429, 429, 429]);
  });
});

describe('mentions per post (MENTIONS_PER_POST)', () => {
  it('refuses a post or an edit naming more members than allowed with a 422 on body, and tells no one', async () => {
    const slug = await createTestCase(limited);
    const author = await signUp(limited);
    const named = await Promise.all([signUp(limited), signUp(limited), signUp(limited), signUp(limited)]);
    const at = (members: Member[]) => members.map((m) => `@${m.handle}`).join(' ');
    const refused = await write(limited, author, slug, { body: `Hello ${at(named)}` });
    expect(refused.statusCode, refused.body).toBe(422);
    const { error } = refused.json<{ error: Refusal }>();
    expect(error.code).toBe('rule_violation');
    expect(error.details[0]).toMatchObject({ field: 'body', limit: 'mentions_per_post', max: 3 });
    expect(error.message).toMatch(/at most 3/);
    // Handles that are nobody's are plain text, not mentions: they do not count.
    const ok = await post(limited, author, slug, { body: `Hello ${at(named.slice(0, 3))} @nobody-here @nor-here` });
    expect(ok.mentions).toHaveLength(3);
    const edit = await call(limited, author, {
      method: 'PATCH',
      url: `/api/v1/posts/${ok.id}`,
      payload: { body: `Hello ${at(named)}` },
    });
    expect(edit.statusCode, edit.body).toBe(422);
    expect(edit.json<{ error: Refusal }>().error.details[0]).toMatchObject({
      field: 'body',
      limit: 'mentions_per_post',
    });
    // Refused posts used up nothing: two more posts fit in this minute's three.
    await post(limited, author, slug, { body: 'Two' });
    await post(limited, author, slug, { body: 'Three' });
    expect((await notifications(limited, named[3]!)).filter((n) => n.kind === 'mention')).toHaveLength(0);
    expect((await notifications(limited, named[0]!)).filter((n) => n.kind === 'mention')).toHaveLength(1);
  });

  it('an edit that adds mentions tells no one (only a new post notifies)', async () => {
    const slug = await createTestCase(lifted);
    const [author, named] = await Promise.all([signUp(lifted), signUp(lifted)]);
    const mine = await post(lifted, author, slug, { body: 'No one named yet' });
    for (let i = 0; i < 5; i += 1) {
      const body = i % 2 === 0 ? `Now naming @${named.handle} (${i})` : `No one again (${i})`;
      const res = await call(lifted, author, { method: 'PATCH', url: `/api/v1/posts/${mine.id}`, payload: { body } });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await notifications(lifted, named)).toEqual([]);
  });
});

describe('reactions per member per minute (REACTIONS_PER_MINUTE)', () => {
  it('allows N reaction changes, then 429 naming the limit; others may still react', async () => {
    const slug = await createTestCase(limited);
    const [writer, fan, other] = await Promise.all([signUp(limited), signUp(limited), signUp(limited)]);
    const target = await post(limited, writer, slug, { body: 'React to me' });
    const url = (kind: string) => `/api/v1/posts/${target.id}/reactions/${kind}`;
    for (const [method, kind] of [
      ['PUT', 'like'],
      ['DELETE', 'like'],
      ['PUT', 'insightful'],
    ] as const) {
      const res = await call(limited, fan, { method, url: url(kind) });
      expect(res.statusCode, res.body).toBe(200);
    }
    expectRateLimited(
      await call(limited, fan, { method: 'PUT', url: url('support') }),
      'reactions_per_minute',
      'kind',
      60,
    );
    expect((await call(limited, other, { method: 'PUT', url: url('support') })).statusCode).toBe(200);
  });
});

describe('follows per member per hour (FOLLOWS_PER_HOUR)', () => {
  it('counts every follow and unfollow, then 429 naming the limit', async () => {
    const [fan, other] = await Promise.all([signUp(limited), signUp(limited)]);
    for (const [method, url] of [
      ['PUT', '/api/v1/follows/country/FR'],
      ['DELETE', '/api/v1/follows/country/FR'],
      ['PUT', '/api/v1/follows/theme/justice'],
      ['DELETE', '/api/v1/follows/theme/justice'],
    ] as const) {
      const res = await call(limited, fan, { method, url });
      expect(res.statusCode, res.body).toBe(200);
    }
    const refused = await call(limited, fan, { method: 'PUT', url: '/api/v1/follows/country/FR' });
    const error = expectRateLimited(refused, 'follows_per_hour', 'key', 3600);
    expect(error.details[0]?.max).toBe(4);
    expect((await call(twin, fan, { method: 'PUT', url: '/api/v1/follows/country/BR' })).statusCode).toBe(429);
    expect((await call(limited, other, { method: 'PUT', url: '/api/v1/follows/country/FR' })).statusCode).toBe(200);
  });
});

describe('follow notifications', () => {
  it('toggling a follow ten times tells the person once, and emails them once', async () => {
    const [fan, star, second] = await Promise.all([signUp(lifted), signUp(lifted), signUp(lifted)]);
    const prefs = await call(lifted, star, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'new_follower', channel: 'email' }] },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    for (let i = 0; i < 10; i += 1) {
      for (const method of ['PUT', 'DELETE'] as const) {
        const res = await call(lifted, fan, { method, url: `/api/v1/follows/person/${star.handle}` });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const told = (await notifications(lifted, star)).filter((n) => n.kind === 'new_follower');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ count: 1, actors: [{ handle: fan.handle }] });
    const emails = async () =>
      lifted.database.kysely
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'email.notification')
        .where(sql<string>`payload->>'notificationId'`, '=', told[0]!.id)
        .execute();
    expect(await emails()).toHaveLength(1);
    // Read or not, following again later tells no one again; a new follower still does.
    await call(lifted, star, { method: 'POST', url: '/api/v1/me/notifications/read', payload: { all: true } });
    await call(lifted, fan, { method: 'PUT', url: `/api/v1/follows/person/${star.handle}` });
    await call(lifted, fan, { method: 'DELETE', url: `/api/v1/follows/person/${star.handle}` });
    await call(lifted, fan, { method: 'PUT', url: `/api/v1/follows/person/${star.handle}` });
    await call(lifted, second, { method: 'PUT', url: `/api/v1/follows/person/${star.handle}` });
    const after = (await notifications(lifted, star)).filter((n) => n.kind === 'new_follower');
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ count: 1, readAt: null, actors: [{ handle: second.handle }] });
  });
});

describe('the windows, on the app’s clock', () => {
  it('a full window frees itself when it closes, and Retry-After counts down to that moment', async () => {
    const later = (seconds: number) => new Date(start + seconds * 1000);
    const { discussions, follows } = timed;
    const slug = await createTestCase(timed);
    const { user } = await signUp(timed);
    const actor = { id: user.id, role: 'member' as const, handle: user.handle };
    const write = (body: string) => discussions.create(actor, slug, { body });
    for (const body of ['1', '2', '3']) await write(body);
    clock.set(later(20));
    await expect(write('4')).rejects.toMatchObject({
      code: 'rate_limited',
      headers: { 'retry-after': '40' },
      details: [{ limit: 'posts_per_minute', retryAfter: 40 }],
    });
    clock.set(later(59.5));
    await expect(write('4')).rejects.toMatchObject({ headers: { 'retry-after': '1' } });
    // The minute that opened with the first post is over: a new one opens with this post.
    clock.set(later(60));
    for (const body of ['4', '5', '6']) await write(body);
    await expect(write('7')).rejects.toMatchObject({ headers: { 'retry-after': '60' } });

    // Follows are counted by the hour.
    clock.set(later(0));
    for (let i = 0; i < 2; i += 1) {
      await follows.follow(actor, 'country', 'FR');
      await follows.unfollow(actor, 'country', 'FR');
    }
    clock.set(later(600));
    await expect(follows.follow(actor, 'country', 'FR')).rejects.toMatchObject({
      code: 'rate_limited',
      headers: { 'retry-after': '3000' },
      message: expect.stringMatching(/try again in 50 minutes/i),
    });
    clock.set(later(3600));
    expect(await follows.follow(actor, 'country', 'FR')).toMatchObject({ following: true });
  });
});

describe('ABUSE_LIMITS=off', () => {
  it('lifts the per-member limits (for load tests only)', async () => {
    const slug = await createTestCase(lifted);
    const author = await signUp(lifted);
    const named = await Promise.all([signUp(lifted), signUp(lifted), signUp(lifted), signUp(lifted)]);
    const mine = await post(lifted, author, slug, { body: `Hello ${named.map((m) => `@${m.handle}`).join(' ')}` });
    for (let i = 0; i < 5; i += 1) await post(lifted, author, slug, { body: `Post ${i}` });
    for (let i = 0; i < 5; i += 1) {
      const res = await call(lifted, author, {
        method: 'PATCH',
        url: `/api/v1/posts/${mine.id}`,
        payload: { body: `Edit ${i}` },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    for (let i = 0; i < 3; i += 1) {
      for (const method of ['PUT', 'DELETE'] as const) {
        const reacted = await call(lifted, named[0]!, { method, url: `/api/v1/posts/${mine.id}/reactions/like` });
        expect(reacted.statusCode, reacted.body).toBe(200);
        const followed = await call(lifted, named[0]!, { method, url: '/api/v1/follows/country/FR' });
        expect(followed.statusCode, followed.body).toBe(200);
      }
    }
  });
});
