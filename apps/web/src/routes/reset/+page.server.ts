import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { emailProblem, formProblem, text } from '#lib/server/forms.ts';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const { request, locals } = event;
    const data = await request.formData();
    const email = text(data, 'email');
    const values = { email };

    const problem = emailProblem(email);
    if (problem) return fail(400, { values, errors: { email: problem } as FieldErrors, alert: null, sent: false });

    try {
      // The link in the email opens in the language this was asked in.
      await must(apiFor(event).POST('/api/v1/auth/password-reset', { body: { email, lang: locals.locale } }));
    } catch (error) {
      const { status, errors, alert } = formProblem(error);
      return fail(status, { values, errors, alert, sent: false });
    }
    // The same answer whether or not the email has an account.
    return { values, errors: {} as FieldErrors, alert: null, sent: true };
  },
};
