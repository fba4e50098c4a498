import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { PageServerLoad } from './$types';

const CURSOR = /^[\w-]{1,200}$/;

/** The events the member answered (upcoming or past), with their answer, place in line and ticket. */
export const load: PageServerLoad = async (event) => {
  const { url, cookies, setHeaders } = event;
  signedIn(event);
  // Tickets and answers are personal: never kept by a shared cache.
  setHeaders({ 'cache-control': 'private, no-cache' });
  const when = url.searchParams.get('when') === 'past' ? ('past' as const) : ('upcoming' as const);
  const given = url.searchParams.get('cursor');
  const cursor = given && CURSOR.test(given) ? given : undefined;
  const api = apiFor(event);
  const get = (c: string | undefined) =>
    must(api.GET('/api/v1/me/events', { params: { query: { when, ...(c ? { cursor: c } : {}) } } }));
  let list;
  try {
    list = await get(cursor);
  } catch (e) {
    // A stale or tampered cursor gives the first page rather than an error page.
    if (!(e instanceof ApiError && e.status === 400 && cursor)) throw e;
    list = await get(undefined);
  }
  const zone = cookies.get(ZONE_COOKIE);
  return { when, list, paged: cursor !== undefined, viewerZone: isTimeZone(zone) ? zone : null };
};
