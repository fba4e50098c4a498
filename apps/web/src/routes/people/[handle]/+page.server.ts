import { error } from '@sveltejs/kit';
import { HANDLE_PATTERN } from '@opsi/contracts/accounts';
import { createApi } from '#lib/api.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

const HANDLE = new RegExp(HANDLE_PATTERN);

export const load: PageServerLoad = async ({ params, fetch, locals }) => {
  if (!HANDLE.test(params.handle)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const [person, reference] = await Promise.all([api.getPerson(params.handle), loadReference(api)]);
  return {
    person,
    names: namesFor(reference, locals.locale, person.countryCode ? [person.countryCode] : [], person.themes),
  };
};
