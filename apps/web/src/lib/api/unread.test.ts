import { describe, expect, it } from 'vitest';
import { apiFor } from './client.ts';
import { ApiError } from './problem.ts';
import { UNREAD_BATCH, unreadCounts } from './unread.ts';

/** A fake `fetch` that records the paths asked for and answers with `answer(path)`. */
function fakeFetch(answer: (path: string) => Response) {
  const paths: string[] = [];
  const fetch = (input: RequestInfo | URL) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    paths.push(url.pathname + url.search);
    return Promise.resolve(answer(url.pathname + url.search));
  };
  return { api: apiFor({ fetch: fetch as typeof globalThis.fetch, url: new URL('http://web.test/cases') }), paths };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('unreadCounts', () => {
  it('asks for the given slugs once each and keeps only threads with unread posts', async () => {
    const { api, paths } = fakeFetch(() =>
      json({
        items: [
          { slug: 'a-case', unread: 3, lastReadPostId: '10' },
          { slug: 'read-case', unread: 0, lastReadPostId: '12' },
        ],
      }),
    );
    const counts = await unreadCounts(api, ['a-case', 'read-case', 'a-case', 'never-visited']);
    expect(counts).toEqual({ 'a-case': 3 });
    expect(paths).toEqual(['/api/v1/me/unread?slugs=a-case&slugs=read-case&slugs=never-visited']);
  });

  it('makes no request for no slugs', async () => {
    const { api, paths } = fakeFetch(() => json({ items: [] }));
    expect(await unreadCounts(api, [])).toEqual({});
    expect(paths).toEqual([]);
  });

  it('splits long lists into batches the API accepts', async () => {
    const { api, paths } = fakeFetch((path) => {
      const slugs = new URL(path, 'http://x').searchParams.getAll('slugs');
      return json({ items: slugs.map((slug) => ({ slug, unread: 1, lastReadPostId: '1' })) });
    });
    const slugs = Array.from({ length: UNREAD_BATCH + 5 }, (_, i) => `case-${i}`);
    const counts = await unreadCounts(api, slugs);
    expect(paths).toHaveLength(2);
    expect(Object.keys(counts)).toHaveLength(UNREAD_BATCH + 5);
  });

  it('fails with the API error when signed out', async () => {
    const { api } = fakeFetch(() => json({ error: { code: 'unauthorized', message: 'Sign in' } }, 401));
    const failure = await unreadCounts(api, ['a-case']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
