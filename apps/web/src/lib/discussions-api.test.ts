import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { createDiscussionsApi, UNREAD_BATCH } from './discussions-api.ts';

/** A fake `fetch` that records the paths asked for and answers with `answer(path)`. */
function fakeFetch(answer: (path: string) => Response) {
  const paths: string[] = [];
  const fetch = (input: RequestInfo | URL) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    paths.push(path);
    return Promise.resolve(answer(path));
  };
  return { fetch: fetch as typeof globalThis.fetch, paths };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('unread', () => {
  it('asks for the given slugs once each and keeps only threads with unread posts', async () => {
    const { fetch, paths } = fakeFetch(() =>
      json({
        items: [
          { slug: 'a-case', unread: 3, lastReadPostId: '10' },
          { slug: 'read-case', unread: 0, lastReadPostId: '12' },
        ],
      }),
    );
    const counts = await createDiscussionsApi(fetch).unread(['a-case', 'read-case', 'a-case', 'never-visited']);
    expect(counts).toEqual({ 'a-case': 3 });
    expect(paths).toEqual(['/api/v1/me/unread?slugs=a-case&slugs=read-case&slugs=never-visited']);
  });

  it('makes no request for no slugs', async () => {
    const { fetch, paths } = fakeFetch(() => json({ items: [] }));
    expect(await createDiscussionsApi(fetch).unread([])).toEqual({});
    expect(paths).toEqual([]);
  });

  it('splits long lists into batches the API accepts', async () => {
    const { fetch, paths } = fakeFetch((path) => {
      const slugs = new URL(path, 'http://x').searchParams.getAll('slugs');
      return json({ items: slugs.map((slug) => ({ slug, unread: 1, lastReadPostId: '1' })) });
    });
    const slugs = Array.from({ length: UNREAD_BATCH + 5 }, (_, i) => `case-${i}`);
    const counts = await createDiscussionsApi(fetch).unread(slugs);
    expect(paths).toHaveLength(2);
    expect(Object.keys(counts)).toHaveLength(UNREAD_BATCH + 5);
  });

  it('fails with the API error when signed out', async () => {
    const { fetch } = fakeFetch(() => json({ error: { code: 'unauthorized', message: 'Sign in' } }, 401));
    const failure = await createDiscussionsApi(fetch)
      .unread(['a-case'])
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});

describe('search', () => {
  it('passes the query string through and returns the results', async () => {
    const results = { items: [], nextCursor: null, total: { cases: 0, posts: 0 } };
    const { fetch, paths } = fakeFetch(() => json(results));
    const query = new URLSearchParams({ q: 'open data', type: 'posts', limit: '20' });
    expect(await createDiscussionsApi(fetch).search(query)).toEqual(results);
    expect(paths).toEqual(['/api/v1/search?q=open+data&type=posts&limit=20']);
  });

  it('turns a refused query into an ApiError, and an unreachable API into a 0', async () => {
    const bad = fakeFetch(() => json({ error: { code: 'validation_failed', message: 'q must not be empty' } }, 400));
    await expect(createDiscussionsApi(bad.fetch).search(new URLSearchParams())).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'q must not be empty',
    });
    const down = (() => Promise.reject(new TypeError('fetch failed'))) as typeof globalThis.fetch;
    await expect(createDiscussionsApi(down).search(new URLSearchParams({ q: 'x' }))).rejects.toMatchObject({
      status: 0,
      code: 'service_unavailable',
    });
    const broken = fakeFetch(() => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(createDiscussionsApi(broken.fetch).search(new URLSearchParams({ q: 'x' }))).rejects.toMatchObject({
      status: 502,
      code: 'internal_error',
    });
  });
});
