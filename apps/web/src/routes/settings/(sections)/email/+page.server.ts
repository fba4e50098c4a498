import { fail } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { m } from '#lib/paraglide/messages.js';
import { emailProblem, formProblem, hasErrors, secret, text } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const account = await or404(apiFor(event).GET('/api/v1/me/email'));
  return {
    /** Only the settings show the account's email. */
    email: account.email,
    /** The new address waiting for its confirmation link to be used, or null. */
    pendingEmail: account.pendingEmail,
  };
};

export const actions: Actions = {
  email: async (event) => {
    const { request } = event;
    const me = signedIn(event);
    const data = await request.formData();
    const email = text(data, 'email');
    const currentPassword = secret(data, 'currentPassword');
    const values = { email };

    const errors: FieldErrors = {};
    errors.email = emailProblem(email) ?? undefined;
    if (!errors.email && email.toLowerCase() === me.email.toLowerCase()) errors.email = m.field_email_same();
    if (!currentPassword) errors.currentPassword = m.field_current_password_missing();
    if (hasErrors(errors)) return fail(400, { values, errors, alert: null });

    try {
      // Nothing changes yet: the new address gets a link to confirm, the current one is told.
      await must(apiFor(event).POST('/api/v1/me/email', { body: { email, currentPassword } }));
    } catch (error) {
      const problem = formProblem(error, ({ field }, apiError) => {
        if (field === 'currentPassword') return m.field_current_password_wrong();
        if (field === 'email') {
          if (apiError.code === 'conflict') return m.field_email_taken();
          return apiError.code === 'rule_violation' ? m.field_email_same() : m.field_email_invalid();
        }
        return undefined;
      });
      return fail(problem.status, { values, errors: problem.errors, alert: problem.alert });
    }
    return { saved: true, sentTo: email };
  },
};
