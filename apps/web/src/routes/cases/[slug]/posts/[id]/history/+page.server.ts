import { error, fail } from '@sveltejs/kit';
import { REDACTION_REASON_MAX_LENGTH } from '@opsi/contracts/discussions';
import { apiFor, must, or404, orNull } from '#lib/api/client.ts';
import { characters, SLUG } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, text } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const ID = /^[1-9]\d{0,18}$/;

export const load: PageServerLoad = async (event) => {
  const { params, locals } = event;
  if (!SLUG.test(params.slug) || !ID.test(params.id)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  const post = { path: { id: params.id } };
  const [item, found, history] = await Promise.all([
    or404(api.GET('/api/v1/cases/{slug}', { params: { path: { slug: params.slug } } })),
    orNull(api.GET('/api/v1/posts/{id}', { params: post })),
    or404(api.GET('/api/v1/posts/{id}/revisions', { params: post })),
  ]);
  if (!found || found.caseSlug !== params.slug) error(404, 'Not Found', { code: 'not_found' });
  const role = locals.me?.user.role;
  return { item, post: found, history, canRedact: role === 'moderator' || role === 'admin', now: Date.now() };
};

export const actions: Actions = {
  /** A moderator removes the text of an earlier version, for good (the API checks the role). */
  redact: async (event) => {
    const { params, request } = event;
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
      await must(
        apiFor(event).POST('/api/v1/posts/{id}/revisions/{revisionId}/redaction', {
          params: { path: { id: params.id, revisionId } },
          body: { reason },
        }),
      );
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
