import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { CURSOR_MAX } from '#lib/input-rules.ts';
import { safeRedirect, withRedirect } from '#lib/redirect.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const ID = /^[1-9]\d{0,18}$/;
const CURSOR = /^[\w-]+$/;

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/notifications', event.locals.locale), event.url.pathname + event.url.search));
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) toLogin(event);
  const unread = event.url.searchParams.get('unread') === 'true';
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  // `unread` only when asked for (the API reads a missing flag as "all").
  const query = {
    ...(unread ? { unread } : {}),
    ...(cursor && cursor.length <= CURSOR_MAX && CURSOR.test(cursor) ? { cursor } : {}),
  };
  const list = await or404(apiFor(event).GET('/api/v1/me/notifications', { params: { query } }));
  return { list, unread, paged: Boolean(cursor) };
};

async function mark(event: RequestEvent, body: { ids: string[] } | { all: true }) {
  if (!event.locals.me) toLogin(event);
  try {
    const { unreadCount } = await must(apiFor(event).POST('/api/v1/me/notifications/read', { body }));
    return { marked: 'all' in body ? 'all' : 'one', unreadCount };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return fail(error.status, { problem: error.message });
    throw error;
  }
}

export const actions: Actions = {
  readAll: (event) => mark(event, { all: true }),
  read: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    if (!ID.test(id)) return fail(400, { problem: 'id' });
    const result = await mark(event, { ids: [id] });
    // Opening a notification marks it read, then goes where it points.
    const to = safeRedirect(event.url.searchParams.get('to'));
    if (to) redirect(303, to);
    return result;
  },
};
