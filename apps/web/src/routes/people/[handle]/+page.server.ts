import { error } from '@sveltejs/kit';
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
  const [person, reference, follow] = await Promise.all([
    or404(api.GET('/api/v1/people/{handle}', { params: { path: { handle: params.handle } } })),
    loadReference(api),
    must(api.GET('/api/v1/follows/{type}/{key}', { params: follows })).catch(() => null),
  ]);
  return {
    person,
    follow,
    names: namesFor(reference, locals.locale, person.countryCode ? [person.countryCode] : [], person.themes),
  };
};

export const actions: Actions = { follow: followAction };
