import type { CaseList } from '@opsi/contracts/cases';
import { apiFor, must, query, type Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { unreadCounts } from '#lib/api/unread.ts';
import { filterParams, PAGE_SIZE, parseCursor, parseFilters } from '#lib/case-query.ts';
import { countriesOf, facetsByCount, loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

/** A stale or tampered cursor gives the first page rather than an error page. */
async function listWithFallback(api: Api, params: URLSearchParams): Promise<{ list: CaseList; cursor: string | null }> {
  const cursor = params.get('cursor');
  try {
    return { list: await must(api.GET('/api/v1/cases', query(params))), cursor };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && cursor)) throw e;
    params.delete('cursor');
    return { list: await must(api.GET('/api/v1/cases', query(params))), cursor: null };
  }
}

/** The badges are a bonus: a failure to count leaves them out rather than failing the page. */
async function unreadFor(api: Api, list: CaseList): Promise<Record<string, number>> {
  try {
    return await unreadCounts(
      api,
      list.items.map((item) => item.slug),
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return {};
  }
}

export const load: PageServerLoad = async (event) => {
  const { url, locals } = event;
  const api = apiFor(event);
  const filters = parseFilters(url.searchParams);

  const listQuery = filterParams(filters, parseCursor(url.searchParams));
  listQuery.set('limit', String(PAGE_SIZE));
  // Cases translated into the page's language come in the translation.
  listQuery.set('lang', locals.locale);
  const facetQuery = filterParams(filters);
  facetQuery.delete('sort');

  const [{ list, cursor }, facets, reference] = await Promise.all([
    listWithFallback(api, listQuery),
    must(api.GET('/api/v1/cases/facets', query(facetQuery))),
    loadReference(api),
  ]);
  const unread = locals.me ? await unreadFor(api, list) : {};

  const codes = new Set([...facets.countries.map((c) => c.code), ...countriesOf(list.items)]);
  if (filters.country) codes.add(filters.country);
  const names = namesFor(reference, locals.locale, codes);
  return {
    filters,
    cursor,
    list,
    facets: facetsByCount(facets, names, locals.locale),
    names,
    queryKey: `${filterParams(filters).toString()}#${cursor ?? ''}`,
    /** Signed in: unread posts by slug in the threads of these cases the member has visited. */
    unread,
  };
};
