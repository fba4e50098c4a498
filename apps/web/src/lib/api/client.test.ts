import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { apiFor, must, or404, orNull, query } from './client.ts';
import { ApiError } from './problem.ts';

/** A fake `fetch` that records the requests and answers with `answer(request)`. */
function fakeFetch(answer: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(input);
    requests.push(request);
    return Promise.resolve(answer(request));
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const page = new URL('http://web.test/cases/open-data?x=1');

describe('apiFor', () => {
  it("asks the page's own origin (where handleFetch takes over) for JSON, with a JSON body", async () => {
    const { fetch, requests } = fakeFetch(() => json({ id: '7', body: 'Hi' }, 201));
    const api = apiFor({ fetch, url: page });
    const post = await must(
      api.POST('/api/v1/cases/{slug}/posts', { params: { path: { slug: 'open data' } }, body: { body: 'Hi' } }),
    );
    expect(post).toMatchObject({ id: '7' });
    const [request] = requests;
    expect(request?.url).toBe('http://web.test/api/v1/cases/open%20data/posts');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('accept')).toBe('application/json');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(await request?.text()).toBe('{"body":"Hi"}');
  });

  it('sends a query string built elsewhere as it is', async () => {
    const { fetch, requests } = fakeFetch(() => json({ items: [], nextCursor: null, total: 0 }));
    const api = apiFor({ fetch, url: page });
    await must(api.GET('/api/v1/cases', query(new URLSearchParams({ q: 'open data', country: 'BR' }))));
    expect(requests[0]?.url).toBe('http://web.test/api/v1/cases?q=open+data&country=BR');
  });

  it("writes a page's parameters as the pages wrote them by hand: the cursor escaped, then unread=true", async () => {
    const { fetch, requests } = fakeFetch(() => json({ items: [], nextCursor: null, unreadCount: 0 }));
    const api = apiFor({ fetch, url: page });
    const cursor = 'MTIz/NDU+Ng==';
    await must(api.GET('/api/v1/me/notifications', { params: { query: { cursor, unread: true } } }));
    await must(api.GET('/api/v1/me/feed', { params: { query: { cursor } } }));
    expect(requests.map((request) => request.url)).toEqual([
      `http://web.test/api/v1/me/notifications?cursor=${encodeURIComponent(cursor)}&unread=true`,
      `http://web.test/api/v1/me/feed?cursor=${encodeURIComponent(cursor)}`,
    ]);
  });

  it('answers undefined for a 204', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(must(apiFor({ fetch, url: page }).POST('/api/v1/auth/logout'))).resolves.toBeUndefined();
  });

  it('turns a refusal into an ApiError with the problems named', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        {
          error: {
            code: 'rate_limited',
            message: 'Slow down',
            details: [{ field: '', message: 'x', limit: 'follows_per_hour', max: 30 }],
          },
        },
        429,
        { 'retry-after': '120' },
      ),
    );
    const failure = await must(
      apiFor({ fetch, url: page }).PUT('/api/v1/follows/{type}/{key}', {
        params: { path: { type: 'theme', key: 'x' } },
      }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfter: 120,
      problems: [{ field: '', message: 'x', params: { limit: 'follows_per_hour', max: 30 } }],
    });
  });

  it('turns an answer that is not JSON into an ApiError too', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(must(apiFor({ fetch, url: page }).GET('/api/v1/themes'))).rejects.toMatchObject({
      status: 502,
      code: 'internal_error',
      message: 'Bad Gateway',
    });
  });

  it('turns no answer at all (the API is down) into status 0, service_unavailable', async () => {
    const down = (() => Promise.reject(new TypeError('fetch failed'))) as typeof globalThis.fetch;
    const failure = await must(apiFor({ fetch: down, url: page }).GET('/api/v1/themes')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'service_unavailable' });
  });
});

describe('orNull and or404', () => {
  const missing = () => json({ error: { code: 'not_found', message: 'No such person' } }, 404);

  it('orNull answers null for a 404 and the data otherwise', async () => {
    const gone = fakeFetch(missing);
    const person = (fetch: typeof globalThis.fetch) =>
      orNull(apiFor({ fetch, url: page }).GET('/api/v1/people/{handle}', { params: { path: { handle: 'nobody' } } }));
    expect(await person(gone.fetch)).toBeNull();
    const found = fakeFetch(() => json({ handle: 'ana' }));
    expect(await person(found.fetch)).toEqual({ handle: 'ana' });
    const refused = fakeFetch(() => json({ error: { code: 'forbidden', message: 'No' } }, 403));
    await expect(person(refused.fetch)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('or404 shows the not-found page for a 404, with its code', async () => {
    const { fetch } = fakeFetch(missing);
    const failure = await or404(
      apiFor({ fetch, url: page }).GET('/api/v1/people/{handle}', { params: { path: { handle: 'nobody' } } }),
    ).catch((e: unknown) => e);
    expect(isHttpError(failure, 404)).toBe(true);
    expect(failure).toMatchObject({ body: { message: 'No such person', code: 'not_found' } });
  });
});
