import { fail } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { HANDLE } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, text } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  return { blocks: (await or404(apiFor(event).GET('/api/v1/me/blocks'))).items };
};

export const actions: Actions = {
  unblock: async (event) => {
    signedIn(event);
    const data = await event.request.formData();
    const handle = text(data, 'handle');
    if (!HANDLE.test(handle)) return fail(400, { alert: m.form_failed() });
    try {
      await must(apiFor(event).DELETE('/api/v1/me/blocks/{handle}', { params: { path: { handle } } }));
    } catch (error) {
      const problem = formProblem(error);
      return fail(problem.status, { alert: problem.alert });
    }
    return { unblocked: text(data, 'name').slice(0, 100) };
  },
};
