import { redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { dropSessionCookies } from '#lib/server/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.me !== null });

export const actions: Actions = {
  default: async (event) => {
    const { cookies, url, locals } = event;
    try {
      // Revokes the session server-side; its Set-Cookie (clearing the cookie) reaches the browser through handleFetch.
      await must(apiFor(event).POST('/api/v1/auth/logout'));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // The browser forgets the session below all the same.
    }
    dropSessionCookies(cookies, url);
    redirect(303, href('/', locals.locale));
  },
};
