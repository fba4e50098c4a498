import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must, orNull } from '#lib/api/client.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { href } from '#lib/i18n.ts';
import { characters, HANDLE, NAME_MAX } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { safeRedirect } from '#lib/redirect.ts';
import {
  emailProblem,
  formProblem,
  hasErrors,
  newPasswordProblem,
  passwordRuleMessage,
  secret,
  text,
} from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (locals.me) redirect(303, redirectTo ?? href('/', locals.locale));
  return { redirectTo };
};

export const actions: Actions = {
  default: async (event) => {
    const { request, url, locals } = event;
    const data = await request.formData();
    const displayName = text(data, 'displayName');
    const email = text(data, 'email');
    const handle = text(data, 'handle').toLowerCase();
    const password = secret(data, 'password');
    const redirectTo = safeRedirect(text(data, 'redirectTo') || url.searchParams.get('redirectTo'));
    // What was typed comes back, except the password.
    const values = { displayName, email, handle };
    const api = apiFor(event);

    // Every problem at once: the API stops at the first kind (shape, then rules, then conflicts).
    const errors: FieldErrors = {};
    if (!displayName) errors.displayName = m.field_name_missing();
    else if (characters(displayName) > NAME_MAX) errors.displayName = m.field_name_too_long({ max: NAME_MAX });
    errors.email = emailProblem(email) ?? undefined;
    if (!handle) errors.handle = m.field_handle_missing();
    else if (!HANDLE.test(handle)) errors.handle = m.field_handle_invalid();
    errors.password = newPasswordProblem(password) ?? undefined;
    if (hasErrors(errors) && !errors.handle) {
      // Say now that the handle is taken too, rather than after the other fields are fixed.
      try {
        const person = await orNull(api.GET('/api/v1/people/{handle}', { params: { path: { handle } } }));
        if (person) errors.handle = m.field_handle_taken();
      } catch {
        // the API will say it when the form is sent again
      }
    }
    if (hasErrors(errors)) return fail(400, { values, errors, alert: null });

    try {
      // The page's language becomes the member's: their emails and notifications are in it.
      await must(
        api.POST('/api/v1/auth/signup', { body: { email, password, displayName, handle, lang: locals.locale } }),
      );
    } catch (error) {
      const problem = formProblem(error, (said) => {
        const { field, code } = said;
        if (code === 'taken') {
          return field === 'email' ? m.field_email_taken() : field === 'handle' ? m.field_handle_taken() : undefined;
        }
        if (field === 'password') return passwordRuleMessage(said);
        if (field === 'handle') return code === 'reserved' ? m.field_handle_reserved() : undefined;
        if (field === 'displayName') return m.field_name_missing();
        if (field === 'email') return m.field_email_invalid();
        return undefined;
      });
      return fail(problem.status, { values, errors: problem.errors, alert: problem.alert });
    }
    // Signed in: the API's session cookie is already on this response (handleFetch copies it).
    redirect(303, redirectTo ?? `${href('/settings/profile', locals.locale)}?welcome=1`);
  },
};
