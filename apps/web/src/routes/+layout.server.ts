import { ORIGIN } from '$app/env/private';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
  /** The viewer's locale for dates and numbers (e.g. en-US, fr-CA), chosen in hooks.server.ts. */
  formatLocale: locals.formatLocale,
  /** The public origin, for absolute links (the request's own origin when none is configured). */
  origin: ORIGIN ?? url.origin,
  /** Who is signed in, for the header and "your own profile" links; never the email. */
  me: locals.me
    ? { handle: locals.me.user.handle, displayName: locals.me.user.displayName, role: locals.me.user.role }
    : null,
});
