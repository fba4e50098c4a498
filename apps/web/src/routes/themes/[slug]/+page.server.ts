import { error } from '@sveltejs/kit';
import { apiFor } from '#lib/api/client.ts';
import { hubCountries, loadHub } from '#lib/components/hubs/hub.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { localName } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { followAction } from '#lib/server/follow.ts';
import { myAnswers } from '#lib/server/my-answers.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { params, locals, cookies } = event;
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  const reference = await loadReference(api);
  const theme = reference.themes.find((item) => item.slug === params.slug);
  if (!theme) error(404, 'Not Found', { code: 'not_found' });

  const [hub, mine] = await Promise.all([
    loadHub(api, { type: 'theme', key: theme.slug }, locals.locale),
    myAnswers(api, Boolean(locals.me)),
  ]);
  const zone = cookies.get(ZONE_COOKIE);
  return {
    slug: theme.slug,
    name: localName(theme, locals.locale),
    description: locals.locale === 'fr' ? theme.descriptionFr || theme.description : theme.description,
    hub,
    names: namesFor(reference, locals.locale, hubCountries(hub)),
    viewerZone: isTimeZone(zone) ? zone : null,
    mine,
  };
};

export const actions = { follow: followAction } satisfies Actions;
