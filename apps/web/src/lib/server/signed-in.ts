/** The personal pages (settings and the like) are for whoever is signed in. */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Me } from '@opsi/contracts/profiles';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';

/** Who is signed in; anyone else is sent to sign in, and brought back to this page after. */
export function signedIn(event: Pick<RequestEvent, 'url' | 'locals'>): Me {
  if (event.locals.me) return event.locals.me;
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}
