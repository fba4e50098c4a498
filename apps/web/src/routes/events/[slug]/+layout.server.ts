import { takeEventNotice } from '#lib/server/event-notice.ts';
import type { LayoutServerLoad } from './$types';

/** The organisers' own change just made (created, saved, cancelled), said once on the next page. */
export const load: LayoutServerLoad = ({ cookies, params, url }) => {
  // Read on every page of the event (not only when the event changes), so it shows only once.
  void url.pathname;
  return { eventNotice: takeEventNotice(cookies, params.slug) };
};
