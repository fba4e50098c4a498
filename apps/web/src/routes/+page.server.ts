import { createApi } from '#lib/api.ts';
import { createEventsApi } from '#lib/event-api.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { countriesOf, loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

const LATEST = 6;
const UPCOMING = 3;
const GLIMPSE = 3;

export const load: PageServerLoad = async ({ fetch, locals, cookies }) => {
  const api = createApi(fetch);
  const [list, reference, events, feed] = await Promise.all([
    api.listCases(new URLSearchParams({ sort: 'activity', limit: String(LATEST) })),
    loadReference(api),
    // The home page stays up if the events or the feed cannot be read: those parts hide.
    createEventsApi(fetch)
      .list(new URLSearchParams({ limit: String(UPCOMING) }))
      .catch(() => null),
    locals.me ? api.feed().catch(() => null) : Promise.resolve(null),
  ]);
  const upcoming = events?.items ?? [];
  const zone = cookies.get(ZONE_COOKIE);
  return {
    latest: list.items,
    total: list.total,
    names: namesFor(reference, locals.locale, [...countriesOf(list.items), ...upcoming.flatMap((e) => e.countries)]),
    upcoming,
    /** For members: the newest few items of their feed (null when signed out). */
    glimpse: feed ? feed.items.slice(0, GLIMPSE) : null,
    viewerZone: isTimeZone(zone) ? zone : null,
    now: Date.now(),
  };
};
