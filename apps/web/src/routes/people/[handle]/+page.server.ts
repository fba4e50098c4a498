import { error, fail } from '@sveltejs/kit';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { HANDLE } from '#lib/input-rules.ts';
import { followAction } from '#lib/server/follow.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { params, locals } = event;
  if (!HANDLE.test(params.handle)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  const follows = { path: { type: 'person' as const, key: params.handle } };
  const handle = { params: { path: { handle: params.handle } } };
  const [person, reference, follow, block] = await Promise.all([
    or404(api.GET('/api/v1/people/{handle}', handle)),
    loadReference(api),
    must(api.GET('/api/v1/follows/{type}/{key}', { params: follows })).catch(() => null),
    locals.me && locals.me.user.handle !== params.handle
      ? must(api.GET('/api/v1/me/blocks/{handle}', handle)).catch(() => null)
      : null,
  ]);
  return {
    person,
    follow,
    blocked: block?.blocked ?? null,
    names: namesFor(reference, locals.locale, person.countryCode ? [person.countryCode] : [], person.themes),
  };
};

export const actions: Actions = {
  follow: followAction,
  /** Block or unblock (the form says which); works without JavaScript. */
  block: async (event) => {
    const on = (await event.request.formData()).get('blocked') === 'true';
    const handle = { params: { path: { handle: event.params.handle } } };
    const api = apiFor(event);
    const res = on
      ? await api.PUT('/api/v1/me/blocks/{handle}', handle)
      : await api.DELETE('/api/v1/me/blocks/{handle}', handle);
    if (res.error) return fail(res.response.status, { blockProblem: true });
    return { blocked: on };
  },
};
