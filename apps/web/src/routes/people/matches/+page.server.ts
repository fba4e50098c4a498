import { apiFor, must } from '#lib/api/client.ts';
import { askAction } from '#lib/server/introductions.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const api = apiFor(event);
  const [matches, reference] = await Promise.all([
    must(api.GET('/api/v1/me/matches', { params: { query: { limit: 20, lang: event.locals.locale } } })),
    loadReference(api),
  ]);
  const countries = matches.items.flatMap((item) => (item.person.countryCode ? [item.person.countryCode] : []));
  return { matches, names: namesFor(reference, event.locals.locale, countries, []) };
};

export const actions: Actions = { ask: askAction };
