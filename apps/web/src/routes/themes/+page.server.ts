import { apiFor, or404 } from '#lib/api/client.ts';
import { localName } from '#lib/i18n.ts';
import { loadReference } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals } = event;
  const api = apiFor(event);
  const [reference, facets] = await Promise.all([loadReference(api), or404(api.GET('/api/v1/cases/facets'))]);
  const counts = new Map(facets.themes.map((theme) => [theme.slug, theme.count]));
  const collator = new Intl.Collator(locals.locale);
  return {
    themes: reference.themes
      .map((theme) => ({
        slug: theme.slug,
        name: localName(theme, locals.locale),
        description: locals.locale === 'fr' ? theme.descriptionFr || theme.description : theme.description,
        count: counts.get(theme.slug) ?? 0,
      }))
      .sort((a, b) => collator.compare(a.name, b.name)),
  };
};
