/**
 * The /cases filters: read them from a URL, dropping any value the API would reject (so a
 * hand-edited address shows results rather than an error page), and write them back.
 */
import { CaseListQuery, type CaseSort, type LevelOfGovernment, type Stage } from '@opsi/contracts/cases';
import { COUNTRY, CURSOR_MAX, limitOf, SLUG } from '#lib/input-rules.ts';

export const STAGES = [
  'idea',
  'pilot',
  'implementation',
  'evaluation',
  'diffusion',
] as const satisfies readonly Stage[];
export const SORTS = ['relevance', 'activity', 'newest', 'discussed'] as const satisfies readonly CaseSort[];
export const LEVELS = [
  'local',
  'regional',
  'national',
  'international',
] as const satisfies readonly LevelOfGovernment[];

// Compile-time checks that the lists above cover every value of the contract.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const complete: [Missing<Stage, (typeof STAGES)[number]>, Missing<CaseSort, (typeof SORTS)[number]>] = [true, true];
void complete;

/** 12 fills whole rows of the two- and three-column card grids. */
export const PAGE_SIZE = 12;

export interface CaseFilters {
  q: string;
  country: string | null;
  theme: string | null;
  year: number | null;
  stage: Stage | null;
  /** null: the API's default order (relevance when searching, else recent activity). */
  sort: CaseSort | null;
}

export const NO_FILTERS: CaseFilters = { q: '', country: null, theme: null, year: null, stage: null, sort: null };

/** The longest search text the API takes. */
export const QUERY_MAX = limitOf(CaseListQuery.properties.q, 'maxLength');

function oneOf<T extends string>(list: readonly T[], value: string | null): T | null {
  return list.find((item) => item === value) ?? null;
}

export function parseFilters(params: URLSearchParams): CaseFilters {
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, QUERY_MAX);
  const country = (params.get('country') ?? '').trim().toUpperCase();
  const theme = (params.get('theme') ?? '').trim().toLowerCase();
  const year = Number((params.get('year') ?? '').trim());
  return {
    q,
    country: COUNTRY.test(country) ? country : null,
    theme: SLUG.test(theme) ? theme : null,
    year: Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : null,
    stage: oneOf(STAGES, params.get('stage')),
    sort: normalSort(q, oneOf(SORTS, params.get('sort'))),
  };
}

/** The order the API applies when none is given. */
export function defaultSort(q: string): CaseSort {
  return q ? 'relevance' : 'activity';
}

/** The sorts that make sense for a query: relevance only ranks a search. */
export function sortsFor(q: string): CaseSort[] {
  return SORTS.filter((sort) => sort !== 'relevance' || q !== '');
}

/** An explicit sort, or null when it is the default or meaningless (relevance without a search). */
function normalSort(q: string, sort: CaseSort | null): CaseSort | null {
  if (!sort || sort === defaultSort(q) || !sortsFor(q).includes(sort)) return null;
  return sort;
}

/** An opaque cursor from `nextCursor`, or null when absent or implausible. */
export function parseCursor(params: URLSearchParams): string | null {
  const cursor = params.get('cursor');
  return cursor && cursor.length <= CURSOR_MAX ? cursor : null;
}

/** Query parameters for the filters, leaving out defaults, in a stable order. */
export function filterParams(filters: CaseFilters, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.country) params.set('country', filters.country);
  if (filters.theme) params.set('theme', filters.theme);
  if (filters.year !== null) params.set('year', String(filters.year));
  if (filters.stage) params.set('stage', filters.stage);
  const sort = normalSort(filters.q, filters.sort);
  if (sort) params.set('sort', sort);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The /cases address (without the language prefix) for these filters. */
export function casesPath(filters: Partial<CaseFilters> = {}, cursor: string | null = null): string {
  const search = filterParams({ ...NO_FILTERS, ...filters }, cursor).toString();
  return search ? `/cases?${search}` : '/cases';
}

/** How many filters (not counting sort) are applied. */
export function activeFilterCount(filters: CaseFilters): number {
  return [filters.q || null, filters.country, filters.theme, filters.year, filters.stage].filter((v) => v !== null)
    .length;
}
