import { apiFor, must } from '#lib/api/client.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { myAnswers } from '#lib/server/my-answers.ts';
import { countriesOf, loadReference, namesFor } from '#lib/server/reference.ts';
import { scanSize, showcase } from '#lib/showcase.ts';
import type { PageServerLoad } from './$types';

/** Cases per section (recent activity, most discussed, newest): one row of the three-column grid. */
const SECTION = 3;
const UPCOMING = 3;
const GLIMPSE = 3;
/** Matches in the home page's introductions panel (members who opted in). */
const MATCHES = 3;

export const load: PageServerLoad = async (event) => {
  const { locals, cookies } = event;
  const api = apiFor(event);
  // With a thousand cases and more, the home page shows a few of each kind, each case once.
  const cases = (sort: 'activity' | 'discussed' | 'newest') =>
    must(
      api.GET('/api/v1/cases', {
        params: { query: { sort, limit: scanSize(SECTION, 3), lang: locals.locale } },
      }),
    );
  const [list, discussedList, newestList, reference, events, feed, mine, matches] = await Promise.all([
    cases('activity'),
    cases('discussed'),
    cases('newest'),
    loadReference(api),
    // The home page stays up if the events or the feed cannot be read: those parts hide.
    must(api.GET('/api/v1/events', { params: { query: { limit: UPCOMING } } })).catch(() => null),
    locals.me ? must(api.GET('/api/v1/me/feed')).catch(() => null) : Promise.resolve(null),
    myAnswers(api, Boolean(locals.me)),
    // Introductions: a few matches for members (the panel hides if they cannot be read).
    locals.me
      ? must(api.GET('/api/v1/me/matches', { params: { query: { limit: MATCHES, lang: locals.locale } } })).catch(
          () => null,
        )
      : Promise.resolve(null),
  ]);
  const upcoming = events?.items ?? [];
  const [latest = [], discussed = [], newest = []] = showcase(
    [{ items: list.items }, { items: discussedList.items, discussed: true }, { items: newestList.items }],
    SECTION,
  );
  const zone = cookies.get(ZONE_COOKIE);
  return {
    latest,
    discussed,
    newest,
    total: list.total,
    names: namesFor(reference, locals.locale, [
      ...countriesOf([...latest, ...discussed, ...newest]),
      ...upcoming.flatMap((e) => e.countries),
      ...(matches?.items ?? []).flatMap((i) => (i.person.countryCode ? [i.person.countryCode] : [])),
    ]),
    upcoming,
    /** The viewer's answers to events, by slug (the cards say "You’re going"). */
    mine,
    /** For members: the newest few items of their feed (null when signed out). */
    glimpse: feed ? feed.items.slice(0, GLIMPSE) : null,
    /** For members: their closest matches in other countries (null when signed out). */
    matches,
    viewerZone: isTimeZone(zone) ? zone : null,
    now: Date.now(),
  };
};
