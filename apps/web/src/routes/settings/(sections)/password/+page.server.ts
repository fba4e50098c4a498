import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, hasErrors, newPasswordProblem, passwordRuleMessage, secret } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({
  /** Whose password this is, for password managers. */
  email: signedIn(event).email,
});

export const actions: Actions = {
  password: async (event) => {
    const { request } = event;
    signedIn(event);
    const data = await request.formData();
    const currentPassword = secret(data, 'currentPassword');
    const newPassword = secret(data, 'newPassword');

    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = m.field_current_password_missing();
    errors.newPassword = newPasswordProblem(newPassword) ?? undefined;
    if (hasErrors(errors)) return fail(400, { errors, alert: null });

    try {
      await must(apiFor(event).POST('/api/v1/me/password', { body: { currentPassword, newPassword } }));
    } catch (error) {
      const problem = formProblem(error, (said) => {
        if (said.field === 'currentPassword') return m.field_current_password_wrong();
        if (said.field === 'newPassword') return passwordRuleMessage(said);
        return undefined;
      });
      return fail(problem.status, { errors: problem.errors, alert: problem.alert });
    }
    return { saved: true };
  },
};
