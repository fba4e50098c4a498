import { createApi } from '#lib/api.ts';
import { countriesOf, loadReference, namesFor } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

const LATEST = 6;

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const api = createApi(fetch);
  const [list, reference] = await Promise.all([
    api.listCases(new URLSearchParams({ sort: 'activity', limit: String(LATEST) })),
    loadReference(api),
  ]);
  return {
    latest: list.items,
    total: list.total,
    names: namesFor(reference, locals.locale, countriesOf(list.items)),
  };
};
