import { error, fail, redirect } from '@sveltejs/kit';
import { ResolveActions } from '@opsi/contracts/moderation';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { problemText } from '#lib/problem-text.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const ID = /^[1-9]\d{0,18}$/;

/** Anonymous: to sign in; members: 403 (the API decides). */
function guard(event: Pick<RequestEvent, 'url' | 'locals'>) {
  if (!event.locals.me) redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

export const load: PageServerLoad = async (event) => {
  guard(event);
  try {
    const page = await must(apiFor(event).GET('/api/v1/moderation/reports', { params: { query: { limit: 50 } } }));
    return { groups: page.items };
  } catch (caught) {
    if (caught instanceof ApiError && caught.status === 403) error(403, 'Moderators and admins only');
    throw caught;
  }
};

export const actions: Actions = {
  resolve: async (event) => {
    guard(event);
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const action = String(form.get('action') ?? '');
    const reason = String(form.get('reason') ?? '').trim();
    const daysText = String(form.get('days') ?? '').trim();
    const days = daysText ? Number(daysText) : null;
    if (!ID.test(id)) error(400, 'No such report');
    if (!(ResolveActions as readonly string[]).includes(action)) return fail(400, { id, problem: 'action', reason });
    if (!reason) return fail(400, { id, problem: 'reason', reason });
    try {
      const result = await must(
        apiFor(event).POST('/api/v1/moderation/reports/{id}/resolve', {
          params: { path: { id } },
          body: {
            action: action as (typeof ResolveActions)[number],
            reason,
            ...(action === 'suspend'
              ? { days: days !== null && Number.isInteger(days) && days > 0 ? days : null }
              : {}),
          },
        }),
      );
      return { resolved: result.resolved };
    } catch (caught) {
      if (caught instanceof ApiError && caught.status < 500) {
        const first = caught.problems[0];
        return fail(caught.status, { id, problem: (first && problemText(first)) ?? caught.message, reason });
      }
      throw caught;
    }
  },
};
