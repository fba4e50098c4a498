/**
 * The "load more" calls of the four result lists (CaseResults, PeopleResults, EventResults and
 * SearchResults), under the names those components have always used, made through the one
 * client. They are being rewritten into one paged-results component, which will call `apiFor`
 * directly; until then these stay, and nothing else should use them.
 */
import { apiFor, must, query } from './client.ts';
import { unreadCounts } from './unread.ts';

type Fetch = typeof globalThis.fetch;

/** `params`: a query string built by `#lib/case-query` or `#lib/people-query` (already checked). */
export function createApi(fetch: Fetch) {
  const api = apiFor({ fetch });
  return {
    listCases: (params: URLSearchParams) => must(api.GET('/api/v1/cases', query(params))),
    listPeople: (params: URLSearchParams) => must(api.GET('/api/v1/people', query(params))),
  };
}

/** `params`: a query string built by `#lib/search-query` (q is never empty). */
export function createDiscussionsApi(fetch: Fetch) {
  const api = apiFor({ fetch });
  return {
    search: (params: URLSearchParams) =>
      must(api.GET('/api/v1/search', { params: { query: { q: params.get('q') ?? '' } }, ...query(params) })),
    unread: (slugs: readonly string[]) => unreadCounts(api, slugs),
  };
}

/** `params`: a query string built by `#lib/event-query` (already checked). */
export function createEventsApi(fetch: Fetch) {
  const api = apiFor({ fetch });
  return {
    list: (params: URLSearchParams) => must(api.GET('/api/v1/events', query(params))),
  };
}
