/**
 * The page every email's unsubscribe link opens. It needs no sign-in (the token in the link is
 * the capability) and asks before acting, since mail scanners open links on their own; the
 * one-click POST of RFC 8058 goes straight to the API. "Undo" puts back what was there.
 */
import { error, fail } from '@sveltejs/kit';
import { NotificationKinds } from '@opsi/contracts/follows';
import { ApiError, createApi } from '#lib/api.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const TOKEN = /^[a-z2-7]{32}$/;
const KINDS: readonly string[] = ['digest', 'all', ...NotificationKinds];

function read(event: Pick<RequestEvent, 'params' | 'url'>) {
  if (!TOKEN.test(event.params.token)) error(404, 'Not Found', { code: 'not_found' });
  const kind = event.url.searchParams.get('kind') ?? 'digest';
  return { token: event.params.token, kind: KINDS.includes(kind) ? kind : 'digest' };
}

export const load: PageServerLoad = (event) => read(event);

async function apply(event: RequestEvent, on: boolean) {
  const { token, kind } = read(event);
  try {
    await createApi(event.fetch).unsubscribe(token, kind, on);
    return { done: on ? 'unsubscribed' : 'resubscribed' };
  } catch (problem) {
    if (problem instanceof ApiError && problem.status < 500) return fail(problem.status, { invalid: true });
    throw problem;
  }
}

export const actions: Actions = {
  unsubscribe: (event) => apply(event, true),
  undo: (event) => apply(event, false),
};
