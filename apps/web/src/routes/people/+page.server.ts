import type { PeopleList } from '@opsi/contracts/profiles';
import { apiFor, must, query, type Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { localName } from '#lib/i18n.ts';
import { parseCursor, parsePeopleFilters, PEOPLE_PAGE_SIZE, peopleParams } from '#lib/people-query.ts';
import { loadReference } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

/** A stale or tampered cursor gives the first page rather than an error page. */
async function listWithFallback(
  api: Api,
  params: URLSearchParams,
): Promise<{ list: PeopleList; cursor: string | null }> {
  const cursor = params.get('cursor');
  try {
    return { list: await must(api.GET('/api/v1/people', query(params))), cursor };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && cursor)) throw e;
    params.delete('cursor');
    return { list: await must(api.GET('/api/v1/people', query(params))), cursor: null };
  }
}

export const load: PageServerLoad = async (event) => {
  const { url, locals } = event;
  const api = apiFor(event);
  const filters = parsePeopleFilters(url.searchParams);
  const params = peopleParams(filters, parseCursor(url.searchParams));
  params.set('limit', String(PEOPLE_PAGE_SIZE));

  const [{ list, cursor }, reference] = await Promise.all([listWithFallback(api, params), loadReference(api)]);

  const collator = new Intl.Collator(locals.locale);
  const countries = [...reference.countries.values()]
    .map((country) => ({ value: country.code, label: localName(country, locals.locale) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const themes = reference.themes
    .map((theme) => ({ value: theme.slug, label: localName(theme, locals.locale) }))
    .sort((a, b) => collator.compare(a.label, b.label));

  return {
    filters,
    cursor,
    list,
    /** Every country and theme, in the UI language, for the filters and the cards. */
    countries,
    themes,
    queryKey: `${peopleParams(filters).toString()}#${cursor ?? ''}`,
  };
};
