import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { href } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { safeRedirect } from '#lib/redirect.ts';
import { ApiError } from '#lib/api/problem.ts';
import { suspensionText } from '#lib/suspension-text.ts';
import { formProblem, secret, text, type FormProblem } from '#lib/server/forms.ts';
import type { FieldErrors } from '#lib/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (locals.me) redirect(303, redirectTo ?? href('/', locals.locale));
  const done = url.searchParams.get('done');
  return {
    redirectTo,
    /** A message carried over from the page before: a new password was set. */
    notice: done === 'reset' ? ('reset' as const) : null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const { request, url, locals } = event;
    const data = await request.formData();
    const email = text(data, 'email');
    const password = secret(data, 'password');
    const redirectTo = safeRedirect(text(data, 'redirectTo') || url.searchParams.get('redirectTo'));
    // What was typed comes back, except the password.
    const values = { email };

    const errors: FieldErrors = {};
    if (!email) errors.email = m.field_email_missing();
    if (!password) errors.password = m.field_password_missing();
    if (errors.email || errors.password) return fail(400, { values, errors, alert: null });

    try {
      await must(apiFor(event).POST('/api/v1/auth/login', { body: { email, password } }));
    } catch (error) {
      // Suspended: until when and why, in words (the API says it only to whoever knows the password).
      const suspended = error instanceof ApiError ? suspensionText(error.problems, locals.formatLocale) : null;
      const problem: FormProblem = suspended ? { status: 403, errors: {}, alert: suspended } : formProblem(error);
      // Any mismatch gets the same answer from the API, whichever of the two was wrong.
      const alert = problem.status === 401 ? m.login_failed() : problem.alert;
      return fail(problem.status, { values, errors: problem.errors, alert });
    }
    // The API's session cookie is already on this response (handleFetch copies it).
    redirect(303, redirectTo ?? href('/', locals.locale));
  },
};
