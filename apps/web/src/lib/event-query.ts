/**
 * The /events filters: read them from a URL, dropping any value the API would reject (so a
 * hand-edited address shows results rather than an error page), and write them back.
 */
import { EventModes, type EventMode } from '@opsi/contracts/events';
import { COUNTRY, CURSOR_MAX, SLUG } from '#lib/input-rules.ts';

export const WHENS = ['upcoming', 'past'] as const;
export type When = (typeof WHENS)[number];

/** 12 fills whole rows of the two- and three-column card grids. */
export const EVENT_PAGE_SIZE = 12;

export interface EventFilters {
  when: When;
  country: string | null;
  theme: string | null;
  mode: EventMode | null;
}

export const NO_EVENT_FILTERS: EventFilters = { when: 'upcoming', country: null, theme: null, mode: null };

function oneOf<T extends string>(list: readonly T[], value: string | null): T | null {
  return list.find((item) => item === value) ?? null;
}

export function parseEventFilters(params: URLSearchParams): EventFilters {
  const country = (params.get('country') ?? '').trim().toUpperCase();
  const theme = (params.get('theme') ?? '').trim().toLowerCase();
  return {
    when: oneOf(WHENS, params.get('when')) ?? 'upcoming',
    country: COUNTRY.test(country) ? country : null,
    theme: SLUG.test(theme) ? theme : null,
    mode: oneOf(EventModes, params.get('mode')),
  };
}

/** An opaque cursor from `nextCursor`, or null when absent or implausible. */
export function parseEventCursor(params: URLSearchParams): string | null {
  const cursor = params.get('cursor');
  return cursor && cursor.length <= CURSOR_MAX ? cursor : null;
}

/** Query parameters for the filters, leaving out defaults (upcoming), in a stable order. */
export function eventFilterParams(filters: EventFilters, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.when !== 'upcoming') params.set('when', filters.when);
  if (filters.country) params.set('country', filters.country);
  if (filters.theme) params.set('theme', filters.theme);
  if (filters.mode) params.set('mode', filters.mode);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The API query for a page of events: the filters, the cursor and the page size. */
export function eventListQuery(filters: EventFilters, cursor: string | null = null): URLSearchParams {
  const params = eventFilterParams(filters, cursor);
  params.set('limit', String(EVENT_PAGE_SIZE));
  return params;
}

/** The /events address (without the language prefix) for these filters. */
export function eventsPath(filters: Partial<EventFilters> = {}, cursor: string | null = null): string {
  const search = eventFilterParams({ ...NO_EVENT_FILTERS, ...filters }, cursor).toString();
  return search ? `/events?${search}` : '/events';
}

/** How many filters (not counting upcoming/past) are applied. */
export function activeEventFilterCount(filters: EventFilters): number {
  return [filters.country, filters.theme, filters.mode].filter((value) => value !== null).length;
}
