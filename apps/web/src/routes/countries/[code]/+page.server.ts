import { error, redirect } from '@sveltejs/kit';
import { apiFor } from '#lib/api/client.ts';
import { hubCountries, loadHub } from '#lib/components/hubs/hub.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { href, localName } from '#lib/i18n.ts';
import { followAction } from '#lib/server/follow.ts';
import { myAnswers } from '#lib/server/my-answers.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

const CODE = /^[a-z]{2}$/i;

export const load: PageServerLoad = async (event) => {
  const { params, locals, cookies } = event;
  if (!CODE.test(params.code)) error(404, 'Not Found', { code: 'not_found' });
  const code = params.code.toUpperCase();
  // /countries/fr is the same hub as /countries/FR: one address to share.
  if (code !== params.code) redirect(308, href(`/countries/${code}`, locals.locale));

  const api = apiFor(event);
  const reference = await loadReference(api);
  const country = reference.countries.get(code);
  if (!country) error(404, 'Not Found', { code: 'not_found' });

  const [hub, mine] = await Promise.all([
    loadHub(api, { type: 'country', key: code }, locals.locale),
    myAnswers(api, Boolean(locals.me)),
  ]);
  const zone = cookies.get(ZONE_COOKIE);
  return {
    code,
    name: localName(country, locals.locale),
    hub,
    names: namesFor(reference, locals.locale, [code, ...hubCountries(hub)]),
    viewerZone: isTimeZone(zone) ? zone : null,
    mine,
  };
};

export const actions = { follow: followAction } satisfies Actions;
