import type { CaseList } from '@opsi/contracts/cases';
import { ApiError, createApi, type Api } from '#lib/api.ts';
import { createDiscussionsApi } from '#lib/discussions-api.ts';
import { filterParams, PAGE_SIZE, parseCursor, parseFilters } from '#lib/case-query.ts';
import { countriesOf, loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

/** A stale or tampered cursor gives the first page rather than an error page. */
async function listWithFallback(api: Api, query: URLSearchParams): Promise<{ list: CaseList; cursor: string | null }> {
  const cursor = query.get('cursor');
  try {
    return { list: await api.listCases(query), cursor };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && cursor)) throw e;
    query.delete('cursor');
    return { list: await api.listCases(query), cursor: null };
  }
}

/** The badges are a bonus: a failure to count leaves them out rather than failing the page. */
async function unreadFor(fetch: typeof globalThis.fetch, list: CaseList): Promise<Record<string, number>> {
  try {
    return await createDiscussionsApi(fetch).unread(list.items.map((item) => item.slug));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return {};
  }
}

export const load: PageServerLoad = async ({ url, fetch, locals }) => {
  const api = createApi(fetch);
  const filters = parseFilters(url.searchParams);

  const listQuery = filterParams(filters, parseCursor(url.searchParams));
  listQuery.set('limit', String(PAGE_SIZE));
  const facetQuery = filterParams(filters);
  facetQuery.delete('sort');

  const [{ list, cursor }, facets, reference] = await Promise.all([
    listWithFallback(api, listQuery),
    api.caseFacets(facetQuery),
    loadReference(api),
  ]);
  const unread = locals.me ? await unreadFor(fetch, list) : {};

  const codes = new Set([...facets.countries.map((c) => c.code), ...countriesOf(list.items)]);
  if (filters.country) codes.add(filters.country);
  return {
    filters,
    cursor,
    list,
    facets,
    names: namesFor(reference, locals.locale, codes),
    queryKey: `${filterParams(filters).toString()}#${cursor ?? ''}`,
    /** Signed in: unread posts by slug in the threads of these cases the member has visited. */
    unread,
  };
};
