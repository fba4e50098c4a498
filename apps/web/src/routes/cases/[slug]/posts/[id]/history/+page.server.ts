import { error, fail } from '@sveltejs/kit';
import { REDACTION_REASON_MAX_LENGTH } from '@opsi/contracts/discussions';
import { createApi } from '#lib/api.ts';
import { m } from '#lib/paraglide/messages.js';
import { characters, formProblem, text } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const SLUG = /^[a-z0-9-]{2,40}$/;
const ID = /^[1-9]\d{0,18}$/;

export const load: PageServerLoad = async ({ params, fetch, locals }) => {
  if (!SLUG.test(params.slug) || !ID.test(params.id)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const [item, post, history] = await Promise.all([
    api.getCase(params.slug),
    api.findPost(params.id),
    api.postRevisions(params.id),
  ]);
  if (!post || post.caseSlug !== params.slug) error(404, 'Not Found', { code: 'not_found' });
  const role = locals.me?.user.role;
  return { item, post, history, canRedact: role === 'moderator' || role === 'admin', now: Date.now() };
};

export const actions: Actions = {
  /** A moderator removes the text of an earlier version, for good (the API checks the role). */
  redact: async ({ params, request, fetch }) => {
    if (!ID.test(params.id)) error(404, 'Not Found', { code: 'not_found' });
    const data = await request.formData();
    const revisionId = text(data, 'revisionId');
    const reason = text(data, 'reason');
    if (!ID.test(revisionId)) return fail(400, { revisionId: null, reason, errors: {}, alert: m.form_failed() });
    const problem = !reason
      ? m.thread_history_redact_reason_missing()
      : characters(reason) > REDACTION_REASON_MAX_LENGTH
        ? m.thread_history_redact_reason_long({ max: REDACTION_REASON_MAX_LENGTH })
        : null;
    if (problem) return fail(400, { revisionId, reason, errors: { reason: problem }, alert: null });
    try {
      await createApi(fetch).redactRevision(params.id, revisionId, reason);
    } catch (e) {
      const { status, errors, alert } = formProblem(e);
      return fail(status, {
        revisionId,
        reason,
        errors,
        alert: status === 404 ? m.thread_history_redact_gone() : alert,
      });
    }
    return { redacted: revisionId };
  },
};
