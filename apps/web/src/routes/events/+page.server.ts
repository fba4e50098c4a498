import type { EventList } from '@opsi/contracts/events';
import { apiFor, must, query, type Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { eventFilterParams, eventListQuery, parseEventCursor, parseEventFilters } from '#lib/event-query.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { localName } from '#lib/i18n.ts';
import { myAnswers } from '#lib/server/my-answers.ts';
import { loadReference } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

/** A stale or tampered cursor gives the first page rather than an error page. */
async function listWithFallback(
  api: Api,
  params: URLSearchParams,
): Promise<{ list: EventList; cursor: string | null }> {
  const cursor = params.get('cursor');
  try {
    return { list: await must(api.GET('/api/v1/events', query(params))), cursor };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && cursor)) throw e;
    params.delete('cursor');
    return { list: await must(api.GET('/api/v1/events', query(params))), cursor: null };
  }
}

export const load: PageServerLoad = async (event) => {
  const { url, locals, cookies } = event;
  const api = apiFor(event);
  const filters = parseEventFilters(url.searchParams);
  const cursor = parseEventCursor(url.searchParams);
  const [{ list, cursor: shown }, reference, answered] = await Promise.all([
    listWithFallback(api, eventListQuery(filters, cursor)),
    loadReference(api),
    myAnswers(api, Boolean(locals.me), filters.when),
  ]);

  const collator = new Intl.Collator(locals.locale);
  const byLabel = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);
  const zone = cookies.get(ZONE_COOKIE);
  return {
    filters,
    cursor: shown,
    list,
    countries: [...reference.countries.values()]
      .map((country) => ({ value: country.code, label: localName(country, locals.locale) }))
      .sort(byLabel),
    themes: reference.themes
      .map((theme) => ({ value: theme.slug, label: localName(theme, locals.locale) }))
      .sort(byLabel),
    /** The viewer's time zone as the browser last told it (null on a first visit). */
    viewerZone: isTimeZone(zone) ? zone : null,
    queryKey: `${eventFilterParams(filters).toString()}#${shown ?? ''}`,
    mine: answered,
  };
};
