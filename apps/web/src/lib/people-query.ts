/**
 * The /people filters: read them from a URL, dropping any value the API would reject (so a
 * hand-edited address shows results rather than an error page), and write them back.
 */
export { parseCursor } from './case-query.ts';

/** 12 fills whole rows of the two- and three-column card grids. */
export const PEOPLE_PAGE_SIZE = 12;

export interface PeopleFilters {
  q: string;
  country: string | null;
  theme: string | null;
}

export const NO_PEOPLE_FILTERS: PeopleFilters = { q: '', country: null, theme: null };

const COUNTRY = /^[A-Z]{2}$/;
const SLUG = /^[a-z0-9-]{2,40}$/;

export function parsePeopleFilters(params: URLSearchParams): PeopleFilters {
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
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
