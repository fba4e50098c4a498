import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { formProblem } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const { active } = await must(apiFor(event).GET('/api/v1/me/calendar-token'));
  return { active };
};

export const actions: Actions = {
  /** A new address (the first, or one replacing the last): shown once, in this answer only. */
  create: async (event) => {
    signedIn(event);
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
    signedIn(event);
    try {
      await must(apiFor(event).DELETE('/api/v1/me/calendar-token'));
      return { done: 'revoked' as const, url: null };
    } catch (e) {
      const problem = formProblem(e);
      return fail(problem.status, { alert: problem.alert });
    }
  },
};
