import { error } from '@sveltejs/kit';
import { createApi } from '#lib/api.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

const SLUG = /^[a-z0-9-]{2,40}$/;

export const load: PageServerLoad = async ({ params, fetch, locals }) => {
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const [item, reference] = await Promise.all([api.getCase(params.slug), loadReference(api)]);
  return {
    item,
    names: namesFor(reference, locals.locale, item.countries, item.themes),
  };
};
