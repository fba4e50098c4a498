import { error } from '@sveltejs/kit';
import { createApi } from '#lib/api.ts';
import { hubCountries, loadHub } from '#lib/components/hubs/hub.ts';
import { createEventsApi } from '#lib/event-api.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { localName } from '#lib/i18n.ts';
import { followAction } from '#lib/server/follow.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad } from './$types';

const SLUG = /^[a-z0-9-]{2,40}$/;

export const load: PageServerLoad = async ({ params, fetch, locals, cookies }) => {
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const reference = await loadReference(api);
  const theme = reference.themes.find((item) => item.slug === params.slug);
  if (!theme) error(404, 'Not Found', { code: 'not_found' });

  const hub = await loadHub(api, createEventsApi(fetch), { type: 'theme', key: theme.slug });
  const zone = cookies.get(ZONE_COOKIE);
  return {
    slug: theme.slug,
    name: localName(theme, locals.locale),
    description: locals.locale === 'fr' ? theme.descriptionFr || theme.description : theme.description,
    hub,
    names: namesFor(reference, locals.locale, hubCountries(hub)),
    viewerZone: isTimeZone(zone) ? zone : null,
  };
};

export const actions = { follow: followAction } satisfies Actions;
