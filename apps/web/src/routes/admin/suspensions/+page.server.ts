import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { m } from '#lib/paraglide/messages.js';
import { adminOnly } from '#lib/server/admin-only.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import type { FieldErrors } from '#lib/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const HANDLE = /^[a-z0-9-]{2,40}$/;

export const load: PageServerLoad = async (event) => {
  adminOnly(event);
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const query = { limit: 50, ...(cursor ? { cursor } : {}) };
  const list = await must(apiFor(event).GET('/api/v1/moderation/suspensions', { params: { query } }));
  return {
    suspensions: list.items,
    nextCursor: list.nextCursor,
    paged: Boolean(cursor),
    /** A handle to suspend, when the page was opened from a member (?handle=). */
    handle: event.url.searchParams.get('handle') ?? '',
  };
};

export const actions: Actions = {
  suspend: async (event) => {
    adminOnly(event);
    const data = await event.request.formData();
    const handle = text(data, 'handle').replace(/^@/, '').toLowerCase();
    const length = text(data, 'length') === 'lifted' ? 'lifted' : 'days';
    const daysText = text(data, 'days');
    const reason = text(data, 'reason');
    const values = { handle, length, days: daysText, reason };
    const errors: FieldErrors = {};
    const days = Number(daysText);
    if (!HANDLE.test(handle)) errors.handle = m.admin_handle_missing();
    if (length === 'days' && !(Number.isInteger(days) && days >= 1 && days <= 3650))
      errors.days = m.admin_days_invalid();
    if (!reason) errors.reason = m.admin_reason_missing();
    if (Object.keys(errors).length > 0) return fail(400, { form: 'suspend' as const, values, errors, alert: null });
    try {
      await must(
        apiFor(event).POST('/api/v1/moderation/people/{handle}/suspension', {
          params: { path: { handle } },
          body: { reason, days: length === 'lifted' ? null : days },
        }),
      );
    } catch (error) {
      const problem = formProblem(error);
      const alert = problem.status === 404 ? m.admin_handle_missing() : problem.alert;
      return fail(problem.status, { form: 'suspend' as const, values, errors: problem.errors, alert });
    }
    return { suspended: handle };
  },

  lift: async (event) => {
    adminOnly(event);
    const data = await event.request.formData();
    const handle = text(data, 'handle');
    const reason = text(data, 'reason');
    if (!reason) {
      return fail(400, { form: 'lift' as const, handle, errors: { reason: m.admin_reason_missing() }, alert: null });
    }
    try {
      await must(
        apiFor(event).DELETE('/api/v1/moderation/people/{handle}/suspension', {
          params: { path: { handle } },
          body: { reason },
        }),
      );
    } catch (error) {
      const problem = formProblem(error);
      return fail(problem.status, { form: 'lift' as const, handle, errors: problem.errors, alert: problem.alert });
    }
    return { lifted: handle };
  },
};
