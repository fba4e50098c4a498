/**
 * The front (plugins/front.ts): a read the public cache answered is answered again from memory
 * before Fastify, with the same status, headers and bytes; a member's with their own fields; never
 * a request it must not answer, never past a change, and always counted against the per-address limit.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { PostList } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, hidePost, listen, signUp, writePost, type Member } from '../testing.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the front gave it. */
  front: boolean;
}

/** A GET with exactly these headers (fetch would add Accept-Encoding), and whether the front answered. */
function get(
  app: FastifyInstance,
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const before = app.front.answered();
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          front: app.front.answered() > before,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers that differ between any two answers (the clock, the per-address count). */
const PER_REQUEST = ['date', 'x-ratelimit-remaining', 'x-ratelimit-reset'];
const stable = (headers: Answer['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_REQUEST.includes(name)));
const cookieOf = (who: Member) => ({ cookie: who.cookie });

describe('the front', () => {
  let app: FastifyInstance;
  let origin: string;
  let slug: string;
  let author: Member;
  let reader: Member;
  let postIds: string[];
  beforeAll(async () => {
    app = await createTestApp({ ABUSE_LIMITS: 'off' });
    origin = await listen(app);
    [author, reader] = await Promise.all([signUp(app), signUp(app)]);
    slug = await createTestCase(app);
    postIds = [];
    for (const body of ['First post of the thread.', 'Second post, a reply to nobody.']) {
      postIds.push((await writePost(app, author, slug, body)).id);
    }
    const react = await call(app, reader, { method: 'PUT', url: `/api/v1/posts/${postIds[0]}/reactions/insightful` });
    expect(react.statusCode).toBe(200);
  });
  afterAll(() => app.close());

  const thread = () => `/api/v1/cases/${slug}/posts?limit=50`;

  it('answers a repeated anonymous read from memory: same status, headers and bytes', async () => {
    const first = await get(app, origin, thread());
    const second = await get(app, origin, thread());
    expect(first.status).toBe(200);
    expect(first.front).toBe(false);
    expect(second.front).toBe(true);
    expect(second.status).toBe(200);
    expect(second.body).toBe(first.body);
    expect(stable(second.headers)).toEqual(stable(first.headers));
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
    // The security headers came with it: the JSON answer's set, without the document-only ones.
    expect(second.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(second.headers['x-content-type-options']).toBe('nosniff');
    expect(second.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  it('answers a member from memory with their own fields, another member with theirs', async () => {
    const mine = await get(app, origin, thread(), cookieOf(reader));
    const again = await get(app, origin, thread(), cookieOf(reader));
    expect(again.front).toBe(true);
    expect(again.body).toBe(mine.body);
    expect(stable(again.headers)).toEqual(stable(mine.headers));
    expect(again.headers['cache-control']).toBe('private, no-store');
    const list = JSON.parse(again.body) as PostList;
    expect(list.items[0]!.myReactions).toEqual(['insightful']);

    // The author's own state is not in memory yet: Fastify reads it, then the front answers.
    const authors = await get(app, origin, thread(), cookieOf(author));
    const authorsAgain = await get(app, origin, thread(), cookieOf(author));
    expect(authorsAgain.front).toBe(true);
    expect(authorsAgain.body).toBe(authors.body);
    expect((JSON.parse(authorsAgain.body) as PostList).items[0]!.myReactions).toEqual([]);
    // And it is what Fastify itself answers (inject never meets the front).
    const injected = await call(app, author, { url: thread() });
    expect(injected.body).toBe(authorsAgain.body);
  });

  it('gives each of many members read at once their own bytes (the buffers the pieces are gathered in are used again)', async () => {
    const expected = new Map<Member, string>();
    for (const who of [reader, author]) {
      await get(app, origin, thread(), cookieOf(who));
      expected.set(who, (await get(app, origin, thread(), cookieOf(who))).body);
    }
    expect(expected.get(reader)).not.toBe(expected.get(author));
    const readers = Array.from({ length: 120 }, (_, i) => (i % 2 ? reader : author));
    const answers = await Promise.all(readers.map((who) => get(app, origin, thread(), cookieOf(who))));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(expected.get(readers[i]!));
    });
  });

  it('never answers past a change: a new post, a hidden one, a reaction', async () => {
    await get(app, origin, thread());
    expect((await get(app, origin, thread())).front).toBe(true);
    const added = await writePost(app, author, slug, 'A third post, written after the answers were kept.');
    const after = await get(app, origin, thread());
    expect(after.front).toBe(false);
    expect((JSON.parse(after.body) as PostList).items.map((p) => p.id)).toContain(added.id);

    await hidePost(app, added.id);
    const hidden = JSON.parse((await get(app, origin, thread())).body) as PostList;
    expect(hidden.items.find((p) => p.id === added.id)).toMatchObject({ hidden: true, body: '' });

    await get(app, origin, thread(), cookieOf(reader));
    const react = await call(app, reader, { method: 'PUT', url: `/api/v1/posts/${postIds[1]}/reactions/like` });
    expect(react.statusCode).toBe(200);
    const reacted = JSON.parse((await get(app, origin, thread(), cookieOf(reader))).body) as PostList;
    expect(reacted.items.find((p) => p.id === postIds[1])!.myReactions).toEqual(['like']);
  });

  it('leaves to Fastify what it must not answer', async () => {
    await get(app, origin, thread());
    expect((await get(app, origin, thread())).front).toBe(true);
    const refused: Record<string, string>[] = [
      { authorization: 'Bearer something' },
      { 'if-none-match': '"x"' },
      { range: 'bytes=0-10' },
      // An unknown session: Fastify answers anonymously and clears the cookie.
      { cookie: 'session=notasessiontokenatall' },
      // Compressed on the fly (not kept).
      { 'accept-encoding': 'gzip' },
    ];
    for (const headers of refused) {
      const answer = await get(app, origin, thread(), headers);
      expect(answer.front, JSON.stringify(headers)).toBe(false);
    }
    const signedOut = await signUp(app);
    await get(app, origin, thread(), cookieOf(signedOut));
    expect((await get(app, origin, thread(), cookieOf(signedOut))).front).toBe(true);
    expect((await call(app, signedOut, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    const gone = await get(app, origin, thread(), cookieOf(signedOut));
    expect(gone.front).toBe(false);
    expect(String(gone.headers['set-cookie'])).toContain('session=;');
  });
});

describe('the front and the per-address limit', () => {
  let app: FastifyInstance;
  let origin: string;
  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    origin = await listen(app);
  });
  afterAll(() => app.close());

  it('counts its answers: the request past the limit is refused by Fastify with 429', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i += 1) answers.push(await get(app, origin, '/api/v1/cases?limit=5'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.front)).toEqual([false, true, true, false]);
    expect(answers.slice(0, 3).map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
  });
});
