/**
 * The page every email's unsubscribe link opens. It needs no sign-in (the token in the link is
 * the capability) and asks before acting, since mail scanners open links on their own; the
 * one-click POST of RFC 8058 goes straight to the API. "Undo" puts back what this link turned off,
 * once, within a day.
 */
import { error, fail } from '@sveltejs/kit';
import { NotificationKinds } from '@opsi/contracts/follows';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const TOKEN = /^[a-z2-7]{32}$/;
const KINDS = ['digest', 'all', ...NotificationKinds] as const;

function isKind(value: string | null): value is (typeof KINDS)[number] {
  return (KINDS as readonly (string | null)[]).includes(value);
}

function read(event: Pick<RequestEvent, 'params' | 'url'>) {
  if (!TOKEN.test(event.params.token)) error(404, 'Not Found', { code: 'not_found' });
  const asked = event.url.searchParams.get('kind');
  // The link's kind (the API refuses any other); an email's link always says it.
  const kind = isKind(asked) ? asked : null;
  return { token: event.params.token, kind: kind ?? 'digest', asked: kind };
}

export const load: PageServerLoad = (event) => {
  const { token, kind } = read(event);
  return { token, kind };
};

async function apply(event: RequestEvent, on: boolean) {
  const { token, asked } = read(event);
  try {
    const init = { params: { path: { token }, query: asked ? { kind: asked } : {} } };
    const api = apiFor(event);
    const result = await must(
      on ? api.POST('/api/v1/unsubscribe/{token}', init) : api.DELETE('/api/v1/unsubscribe/{token}', init),
    );
    return { done: on ? 'unsubscribed' : result.subscribed ? 'resubscribed' : 'unchanged' };
  } catch (problem) {
    // The undo works once, within a day.
    if (!on && problem instanceof ApiError && problem.code === 'conflict') return fail(409, { tooLate: true });
    if (problem instanceof ApiError && problem.status < 500) return fail(problem.status, { invalid: true });
    throw problem;
  }
}

export const actions: Actions = {
  unsubscribe: (event) => apply(event, true),
  undo: (event) => apply(event, false),
};
