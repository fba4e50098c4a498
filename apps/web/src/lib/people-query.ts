/**
 * The /people filters: read them from a URL, dropping any value the API would reject (so a
 * hand-edited address shows results rather than an error page), and write them back.
 */
import { PeopleQuery } from '@opsi/contracts/profiles';
import { COUNTRY, limitOf, SLUG } from '#lib/input-rules.ts';

export { parseCursor } from './case-query.ts';

/** 12 fills whole rows of the two- and three-column card grids. */
export const PEOPLE_PAGE_SIZE = 12;

export interface PeopleFilters {
  q: string;
  country: string | null;
  theme: string | null;
}

export const NO_PEOPLE_FILTERS: PeopleFilters = { q: '', country: null, theme: null };

/** The longest search text the API takes. */
export const PEOPLE_QUERY_MAX = limitOf(PeopleQuery.properties.q, 'maxLength');

export function parsePeopleFilters(params: URLSearchParams): PeopleFilters {
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, PEOPLE_QUERY_MAX);
  const country = (params.get('country') ?? '').trim().toUpperCase();
  const theme = (params.get('theme') ?? '').trim().toLowerCase();
  return {
    q,
    country: COUNTRY.test(country) ? country : null,
    theme: SLUG.test(theme) ? theme : null,
  };
}

/** Query parameters for the filters, leaving out empty ones, in a stable order. */
export function peopleParams(filters: PeopleFilters, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.country) params.set('country', filters.country);
  if (filters.theme) params.set('theme', filters.theme);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The /people address (without the language prefix) for these filters. */
export function peoplePath(filters: Partial<PeopleFilters> = {}, cursor: string | null = null): string {
  const search = peopleParams({ ...NO_PEOPLE_FILTERS, ...filters }, cursor).toString();
  return search ? `/people?${search}` : '/people';
}

export function activePeopleFilterCount(filters: PeopleFilters): number {
  return [filters.q || null, filters.country, filters.theme].filter((value) => value !== null).length;
}
