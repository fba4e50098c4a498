import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';
import { formProblem } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) toLogin(event);
  const { active } = await must(apiFor(event).GET('/api/v1/me/calendar-token'));
  return { active };
};

export const actions: Actions = {
  /** A new address (the first, or one replacing the last): shown once, in this answer only. */
  create: async (event) => {
    if (!event.locals.me) toLogin(event);
    const api = apiFor(event);
    try {
      const { active } = await must(api.GET('/api/v1/me/calendar-token'));
      const { url } = await must(api.POST('/api/v1/me/calendar-token'));
      return { done: active ? ('replaced' as const) : ('created' as const), url };
    } catch (e) {
      const problem = formProblem(e);
      return fail(problem.status, { alert: problem.alert });
    }
  },

  revoke: async (event) => {
    if (!event.locals.me) toLogin(event);
    try {
      await must(apiFor(event).DELETE('/api/v1/me/calendar-token'));
      return { done: 'revoked' as const, url: null };
    } catch (e) {
      const problem = formProblem(e);
      return fail(problem.status, { alert: problem.alert });
    }
  },
};
