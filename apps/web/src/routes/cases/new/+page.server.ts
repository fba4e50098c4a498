import { fail, redirect } from '@sveltejs/kit';
import { apiFor } from '#lib/api/client.ts';
import { ApiError, parseApiProblem } from '#lib/api/problem.ts';
import { caseBodyOf, checkCaseForm, emptyCaseForm, readCaseForm } from '#lib/cases/case-form.ts';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';
import { caseApiProblem, caseFormChoices, caseFormErrors } from '#lib/server/case-form.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const EDITORS = ['organiser', 'moderator', 'admin'];

/** Signed in (anyone may propose a case; organisers, moderators and admins publish it at once). */
function signedIn(event: Pick<RequestEvent, 'url' | 'locals'>) {
  const me = event.locals.me;
  if (!me) redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
  return me;
}

export const load: PageServerLoad = async (event) => {
  const me = signedIn(event);
  return {
    ...(await caseFormChoices(event, event.locals.locale)),
    values: emptyCaseForm(),
    proposing: !EDITORS.includes(me.user.role),
  };
};

export const actions: Actions = {
  default: async (event) => {
    signedIn(event);
    const values = readCaseForm(await event.request.formData());
    const problems = checkCaseForm(values);
    if (Object.keys(problems).length) return fail(400, { values, errors: caseFormErrors(problems), alert: null });
    const { data, error, response } = await apiFor(event).POST('/api/v1/cases', { body: caseBodyOf(values) });
    if (response.status === 202) {
      // A member's proposal: it waits for a moderator; the case list says so.
      redirect(303, `${href('/cases', event.locals.locale)}?proposed=1`);
    }
    if (!response.ok || !data) {
      const { status, ...shown } = caseApiProblem(new ApiError(parseApiProblem(response, error ?? null)));
      return fail(status, { values, ...shown });
    }
    redirect(303, href(`/cases/${data.slug}`, event.locals.locale));
  },
};
