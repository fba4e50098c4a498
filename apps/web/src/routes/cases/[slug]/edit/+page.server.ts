import { error, fail, redirect } from '@sveltejs/kit';
import type { CaseEdit } from '@opsi/contracts/case-authoring';
import type { CaseDetail } from '@opsi/contracts/cases';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError, parseApiProblem } from '#lib/api/problem.ts';
import {
  CASE_FIELDS,
  caseBodyOf,
  caseFormOf,
  checkCaseForm,
  conflictingFields,
  mergeCaseForm,
  readCaseForm,
  threeWayMerge,
  type CaseField,
} from '#lib/cases/case-form.ts';
import { href } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { withRedirect } from '#lib/redirect.ts';
import { text } from '#lib/server/forms.ts';
import {
  caseApiProblem,
  caseFormChoices,
  caseFormErrors,
  movedSlug,
  redirectIfMoved,
  staleCurrent,
} from '#lib/server/case-form.ts';
import { m } from '#lib/paraglide/messages.js';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const EDITORS = ['organiser', 'moderator', 'admin'];

function editor(event: Pick<RequestEvent, 'url' | 'locals'>) {
  const me = event.locals.me;
  if (!me) redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
  if (!EDITORS.includes(me.user.role)) error(403, 'Forbidden', { code: 'forbidden' });
  return me;
}

/**
 * The case as it is now. Loading the page, an old slug goes on to the current one's edit page;
 * saving (`follow`), the edit goes to the case under its current slug (renamed meanwhile).
 */
async function currentCase(event: RequestEvent, follow = false): Promise<CaseDetail> {
  if (!SLUG.test(event.params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  let answer = await api.GET('/api/v1/cases/{slug}', { params: { path: { slug: event.params.slug } } });
  const moved = movedSlug(answer.response);
  if (moved && follow) answer = await api.GET('/api/v1/cases/{slug}', { params: { path: { slug: moved } } });
  else redirectIfMoved(event, answer.response, event.locals.locale, '/edit');
  if (answer.response.status === 404) error(404, 'Not Found', { code: 'not_found' });
  return must(Promise.resolve(answer));
}

export const load: PageServerLoad = async (event) => {
  const me = editor(event);
  const item = await currentCase(event);
  return {
    item: { slug: item.slug, title: item.title, version: item.version },
    values: caseFormOf(item),
    handle: me.user.handle,
    ...(await caseFormChoices(event, event.locals.locale)),
  };
};

/** Only the fields that differ from the case as it was (an unchanged field is not sent). */
function changes(body: ReturnType<typeof caseBodyOf>, was: CaseDetail): Omit<CaseEdit, 'version'> {
  const edit: Record<string, unknown> = {};
  const before = caseBodyOf(caseFormOf(was));
  for (const field of CASE_FIELDS) {
    const now = body[field];
    const old = before[field];
    if (JSON.stringify(now ?? null) !== JSON.stringify(old ?? null)) edit[field] = now ?? null;
  }
  return edit;
}

export const actions: Actions = {
  default: async (event) => {
    editor(event);
    const data = await event.request.formData();
    let values = readCaseForm(data);
    const note = text(data, 'note');
    const version = Number(text(data, 'version'));
    if (!Number.isInteger(version) || version < 1) error(400, 'Bad request', { code: 'validation_failed' });
    const current = await currentCase(event, true);
    // A merge: for each field the editor chose "the current version", take it.
    const takeCurrent = new Set(CASE_FIELDS.filter((field) => text(data, `take-${field}`) === 'current'));
    if (takeCurrent.size) values = mergeCaseForm(values, caseFormOf(current), takeCurrent as Set<CaseField>);
    const problems = checkCaseForm(values);
    if (Object.keys(problems).length) {
      return fail(400, { values, note, version, errors: caseFormErrors(problems), alert: null, merge: null });
    }
    // The fields this edit changes against the version it started from: the page's version
    // when it is still current, else the current case (a stale edit is refused by the API anyway).
    const edit = { version, ...(note.trim() ? { note: note.trim() } : {}), ...changes(caseBodyOf(values), current) };
    const answer = await apiFor(event).PATCH('/api/v1/cases/{slug}', {
      params: { path: { slug: current.slug } },
      body: edit,
    });
    if (!answer.response.ok || !answer.data) {
      const problem = new ApiError(parseApiProblem(answer.response, answer.error ?? null));
      const now = staleCurrent(problem);
      if (now) {
        const theirs = caseFormOf(now);
        // Merged against the version the editor started from, when it can be read.
        const base = await apiFor(event).GET('/api/v1/cases/{slug}/revisions/{version}', {
          params: { path: { slug: now.slug, version } },
        });
        const merge = base.data
          ? threeWayMerge(caseFormOf(base.data.fields), values, theirs)
          : { merged: values, conflicts: conflictingFields(values, theirs), taken: [] };
        return fail(409, {
          values: merge.merged,
          note,
          version: now.version,
          errors: {},
          alert: m.caseedit_stale_alert({ version: now.version }),
          merge: {
            current: theirs,
            fields: merge.conflicts,
            taken: merge.taken,
            version: now.version,
          },
        });
      }
      const { status, ...shown } = caseApiProblem(problem);
      return fail(status, { values, note, version, ...shown, merge: null });
    }
    redirect(303, `${href(`/cases/${answer.data.slug}`, event.locals.locale)}?saved=${answer.data.version}`);
  },
};
