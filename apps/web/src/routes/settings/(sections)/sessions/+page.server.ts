import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { href } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, text } from '#lib/server/forms.ts';
import { SESSION_COOKIES } from '#lib/server/session.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

const SESSION_ID = /^[0-9a-f]{16}$/;

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const sessions = await or404(apiFor(event).GET('/api/v1/me/sessions'));
  return {
    sessions: sessions.items.sort(
      (a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt),
    ),
  };
};

export const actions: Actions = {
  revoke: async (event) => {
    const { request, locals, cookies } = event;
    signedIn(event);
    const data = await request.formData();
    const id = text(data, 'id');
    const device = text(data, 'device').slice(0, 100);
    if (!SESSION_ID.test(id)) return fail(400, { alert: m.form_failed() });
    try {
      await must(apiFor(event).DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
    } catch (error) {
      const problem = formProblem(error);
      // Already gone: that is what was asked.
      if (problem.status !== 404) return fail(problem.status, { alert: problem.alert });
    }
    // This very session (the API cleared its cookie): signed out.
    if (!SESSION_COOKIES.some((name) => cookies.get(name))) redirect(303, href('/', locals.locale));
    return { saved: true, device };
  },
};
