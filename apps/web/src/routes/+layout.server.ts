import { ORIGIN } from '$app/env/private';
import { apiFor, must, type ApiCaller } from '#lib/api/client.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, fetch }) => ({
  /** The viewer's locale for dates and numbers (e.g. en-US, fr-CA), chosen in hooks.server.ts. */
  formatLocale: locals.formatLocale,
  /** The public origin, for absolute links (the request's own origin when none is configured). */
  origin: ORIGIN ?? url.origin,
  /** Who is signed in, for the header and "your own profile" links; never the email. */
  me: locals.me
    ? { handle: locals.me.user.handle, displayName: locals.me.user.displayName, role: locals.me.user.role }
    : null,
  /** False while the signed-in member's address waits for its verification link (the banner). */
  emailVerified: locals.me ? locals.me.emailVerified : true,
  /** Unread notifications for the header's bell (then kept live over the socket). */
  unreadCount: locals.me ? await unread({ fetch, url }) : 0,
});

async function unread(caller: ApiCaller): Promise<number> {
  try {
    const query = { unread: true, limit: 1 };
    return (await must(apiFor(caller).GET('/api/v1/me/notifications', { params: { query } }))).unreadCount;
  } catch {
    // The bell is not worth an error page.
    return 0;
  }
}
