import { apiFor, must } from '#lib/api/client.ts';
import { decideAction } from '#lib/server/introductions.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const api = apiFor(event);
  const [list, reference] = await Promise.all([must(api.GET('/api/v1/me/introductions')), loadReference(api)]);
  const countries = list.items.flatMap((item) => (item.person.countryCode ? [item.person.countryCode] : []));
  return {
    received: list.items.filter((i) => i.direction === 'received'),
    sent: list.items.filter((i) => i.direction === 'sent'),
    pendingSent: list.pendingSent,
    pendingMax: list.pendingMax,
    names: namesFor(reference, event.locals.locale, countries, []),
  };
};

export const actions: Actions = { decide: decideAction };
