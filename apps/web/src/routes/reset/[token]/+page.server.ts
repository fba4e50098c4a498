import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { href } from '#lib/i18n.ts';
import { formProblem, newPasswordProblem, passwordRuleMessage, secret } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

/** Reset tokens are 32 base-32 characters (the API's format); anything else cannot be valid. */
const TOKEN = /^[a-z2-7]{32}$/;

export const load: PageServerLoad = async (event) => {
  const { token } = event.params;
  if (!TOKEN.test(token)) return { valid: false };
  const answer = await or404(apiFor(event).GET('/api/v1/auth/password-reset/{token}', { params: { path: { token } } }));
  return { valid: answer.valid };
};

export const actions: Actions = {
  default: async (event) => {
    const { request, params, locals } = event;
    const data = await request.formData();
    const newPassword = secret(data, 'newPassword');
    if (!TOKEN.test(params.token)) return fail(422, { errors: {} as FieldErrors, alert: null, expired: true });

    const problem = newPasswordProblem(newPassword);
    if (problem) return fail(400, { errors: { newPassword: problem } as FieldErrors, alert: null, expired: false });

    try {
      const body = { token: params.token, newPassword };
      await must(apiFor(event).POST('/api/v1/auth/password-reset/confirm', { body }));
    } catch (error) {
      const { status, errors, alert } = formProblem(error, (problem) =>
        problem.field === 'newPassword' ? passwordRuleMessage(problem) : undefined,
      );
      // The link was used, or expired, while the page was open.
      if (errors.token) return fail(status, { errors: {} as FieldErrors, alert: null, expired: true });
      return fail(status, { errors, alert, expired: false });
    }
    redirect(303, `${href('/login', locals.locale)}?done=reset`);
  },
};
