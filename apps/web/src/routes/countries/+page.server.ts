import { apiFor, or404 } from '#lib/api/client.ts';
import { localName } from '#lib/i18n.ts';
import { loadReference } from '#lib/server/reference.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals } = event;
  const api = apiFor(event);
  const [reference, facets] = await Promise.all([loadReference(api), or404(api.GET('/api/v1/cases/facets'))]);
  const collator = new Intl.Collator(locals.locale);
  return {
    /** Only countries with cases: a hub without any would be an empty page. */
    countries: facets.countries
      .filter((item) => item.count > 0)
      .map((item) => {
        const country = reference.countries.get(item.code);
        return { code: item.code, name: country ? localName(country, locals.locale) : item.code, count: item.count };
      })
      .sort((a, b) => collator.compare(a.name, b.name)),
  };
};
