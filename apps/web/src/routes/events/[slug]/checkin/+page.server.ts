import { error, fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { HANDLE } from '#lib/input-rules.ts';
import { text } from '#lib/server/forms.ts';
import { managedEvent } from '#lib/server/managed-event.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (request) => {
  const event = await managedEvent(request);
  const path = { slug: event.slug };
  const api = apiFor(request);
  const attendees = await must(api.GET('/api/v1/events/{slug}/attendees', { params: { path } }));
  return {
    event,
    going: attendees.items
      .filter((a) => a.status === 'going')
      .map((a) => ({ handle: a.handle, displayName: a.displayName, checkedInAt: a.checkedInAt ?? null })),
    checkedIn: attendees.checkedInCount ?? 0,
    goingCount: attendees.goingCount,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const { request, params, locals } = event;
    if (!locals.me) error(401, 'Sign in', { code: 'unauthorized' });
    const data = await request.formData();
    const code = text(data, 'code').toUpperCase().replace(/[\s-]/g, '');
    const handle = text(data, 'handle');
    if (!code && !HANDLE.test(handle)) return fail(400, { outcome: 'empty' as const, code });
    try {
      const result = await must(
        apiFor(event).POST('/api/v1/events/{slug}/checkins', {
          params: { path: { slug: params.slug } },
          body: code ? { code } : { handle },
        }),
      );
      return { outcome: result.alreadyCheckedIn ? ('already' as const) : ('ok' as const), result };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return fail(404, { outcome: 'unknown' as const, code });
      if (err instanceof ApiError && err.status === 422) return fail(422, { outcome: 'not_going' as const, code });
      if (err instanceof ApiError && err.status === 409) return fail(409, { outcome: 'cancelled' as const, code });
      if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden', { code: 'forbidden' });
      throw err;
    }
  },
};
