import { redirect } from '@sveltejs/kit';
import { ApiError, createApi } from '#lib/api.ts';
import { href } from '#lib/i18n.ts';
import { dropSessionCookies } from '#lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.me !== null });

export const actions: Actions = {
  default: async ({ fetch, cookies, url, locals }) => {
    try {
      // Revokes the session server-side; its Set-Cookie (clearing the cookie) reaches the browser through handleFetch.
      await createApi(fetch).logout();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // The browser forgets the session below all the same.
    }
    dropSessionCookies(cookies, url);
    redirect(303, href('/', locals.locale));
  },
};
