import { fail } from '@sveltejs/kit';
import { Languages, type Language } from '@opsi/contracts/notification-text';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  return { language: (await or404(apiFor(event).GET('/api/v1/me/language'))).language };
};

export const actions: Actions = {
  /** The language of the member's emails and notifications (a plain form: works without JavaScript). */
  language: async (event) => {
    signedIn(event);
    const chosen = String((await event.request.formData()).get('language') ?? '');
    if (!(Languages as readonly string[]).includes(chosen)) return fail(400, { problem: true, language: null });
    try {
      const saved = await must(apiFor(event).PUT('/api/v1/me/language', { body: { language: chosen as Language } }));
      return { saved: true, language: saved.language };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return fail(error.status, { problem: true, language: null });
      throw error;
    }
  },
};
