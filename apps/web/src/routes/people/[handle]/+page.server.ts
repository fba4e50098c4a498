import { error } from '@sveltejs/kit';
import { HANDLE_PATTERN } from '@opsi/contracts/accounts';
import { createApi } from '#lib/api.ts';
import { followAction } from '#lib/server/follow.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

const HANDLE = new RegExp(HANDLE_PATTERN);

export const load: PageServerLoad = async ({ params, fetch, locals }) => {
  if (!HANDLE.test(params.handle)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const [person, reference, follow] = await Promise.all([
    api.getPerson(params.handle),
    loadReference(api),
    api.followState('person', params.handle).catch(() => null),
  ]);
  return {
    person,
    follow,
    names: namesFor(reference, locals.locale, person.countryCode ? [person.countryCode] : [], person.themes),
  };
};

export const actions: Actions = { follow: followAction };
