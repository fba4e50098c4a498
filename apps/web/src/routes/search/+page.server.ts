import type { SearchResults } from '@opsi/contracts/discussions';
import { apiFor, must, query, type Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { parseCursor } from '#lib/case-query.ts';
import { parseSearch, SEARCH_PAGE_SIZE, searchParams, type SearchFilters } from '#lib/search-query.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

const NOTHING: SearchResults = { items: [], nextCursor: null, total: { cases: 0, posts: 0 } };

/**
 * A stale or tampered cursor gives the first page rather than an error page; a query the API
 * refuses (nothing left to search for once cleaned) gives no results.
 */
async function searchWithFallback(
  api: Api,
  search: SearchFilters,
  cursor: string | null,
  lang: string,
): Promise<{ results: SearchResults; cursor: string | null }> {
  const find = (at: string | null) => {
    const params = searchParams(search, at);
    params.set('limit', String(SEARCH_PAGE_SIZE));
    params.set('lang', lang);
    // q is required: said here for the types; the query string sent is the one built above.
    return must(api.GET('/api/v1/search', { params: { query: { q: search.q } }, ...query(params) }));
  };
  try {
    return { results: await find(cursor), cursor };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400)) throw e;
    if (!cursor) return { results: NOTHING, cursor: null };
    return { results: await find(null), cursor: null };
  }
}

export const load: PageServerLoad = async (event) => {
  const { url, locals } = event;
  const api = apiFor(event);
  const search = parseSearch(url.searchParams);
  const reference = loadReference(api);
  const { results, cursor } = search.q
    ? await searchWithFallback(api, search, parseCursor(url.searchParams), locals.locale)
    : { results: null, cursor: null };

  const { countries, themes } = await reference;
  return {
    search,
    cursor,
    /** null before anything is searched for. */
    results,
    /** Every country (case hits appended by "Load more" may be anywhere) and theme. */
    names: namesFor({ countries, themes }, locals.locale, countries.keys()),
    /** "3 hours ago" is counted from this instant, on the server and in the browser alike. */
    now: Date.now(),
    queryKey: `${searchParams(search).toString()}#${cursor ?? ''}`,
  };
};
