/**
 * The discussion reads the search page and the case list use: site-wide search and unread counts.
 * Bound to a `fetch` like `#lib/api.ts` (a `load` function's, or the browser's, which sends the
 * session cookie to the same origin), and failing with the same `ApiError`.
 */
import type { ErrorCode } from '@opsi/contracts/common';
import type { SearchResults, UnreadCounts } from '@opsi/contracts/discussions';
import { ApiError } from '#lib/api.ts';

type Fetch = typeof fetch;

/** The API takes at most 100 slugs a request. */
export const UNREAD_BATCH = 100;

async function getJson<T>(fetch: Fetch, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'service_unavailable', 'The API could not be reached');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
    const code = typeof body?.error?.code === 'string' ? (body.error.code as ErrorCode) : null;
    const message = typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
    throw new ApiError(
      response.status,
      code ?? (response.status >= 500 ? 'internal_error' : 'validation_failed'),
      message || 'Unexpected API response',
    );
  }
  return (await response.json()) as T;
}

export function createDiscussionsApi(fetch: Fetch) {
  return {
    /** `query` is built by `#lib/search-query` (q is never empty). */
    search: (query: URLSearchParams) => getJson<SearchResults>(fetch, `/api/v1/search?${query.toString()}`),

    /**
     * Unread posts by case slug, for the cases among `slugs` this member has visited and that have
     * posts they have not read (signed in only; a 401 otherwise). No request for no slugs.
     */
    unread: async (slugs: readonly string[]): Promise<Record<string, number>> => {
      const unique = [...new Set(slugs)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += UNREAD_BATCH) batches.push(unique.slice(i, i + UNREAD_BATCH));
      const answers = await Promise.all(
        batches.map((batch) => {
          const query = new URLSearchParams(batch.map((slug) => ['slugs', slug]));
          return getJson<UnreadCounts>(fetch, `/api/v1/me/unread?${query.toString()}`);
        }),
      );
      const counts: Record<string, number> = {};
      for (const { slug, unread } of answers.flatMap((answer) => answer.items)) {
        if (unread > 0) counts[slug] = unread;
      }
      return counts;
    },
  };
}
