/**
 * Countries and themes change rarely, so they are kept for a few minutes rather than fetched
 * on every page. Pages get only the localized names they need, not the whole country list.
 */
import type { CaseFacets, CaseSummary } from '@opsi/contracts/cases';
import type { Country, Theme } from '@opsi/contracts/reference';
import { must, type Api } from '#lib/api/client.ts';
import { localName, type Locale } from '#lib/i18n.ts';
import type { Names } from '#lib/names.ts';

const TTL_MS = 5 * 60_000;

interface Reference {
  countries: Map<string, Country>;
  themes: Theme[];
}

let cached: { at: number; data: Promise<Reference> } | null = null;

export function loadReference(api: Api): Promise<Reference> {
  if (!cached || Date.now() - cached.at > TTL_MS) {
    const data = Promise.all([must(api.GET('/api/v1/countries')), must(api.GET('/api/v1/themes'))]).then(
      ([countries, themes]) => ({
        countries: new Map(countries.map((country) => [country.code, country])),
        themes,
      }),
    );
    const entry = { at: Date.now(), data };
    cached = entry;
    data.catch(() => {
      if (cached === entry) cached = null;
    });
  }
  return cached.data;
}

export function namesFor(
  reference: Reference,
  locale: Locale,
  countryCodes: Iterable<string>,
  themeSlugs?: Iterable<string>,
): Names {
  const countries: Record<string, string> = {};
  for (const code of countryCodes) {
    const country = reference.countries.get(code);
    countries[code] = country ? localName(country, locale) : code;
  }
  const wanted = themeSlugs ? new Set(themeSlugs) : null;
  const themes: Record<string, string> = {};
  for (const theme of reference.themes) {
    if (!wanted || wanted.has(theme.slug)) themes[theme.slug] = localName(theme, locale);
  }
  return { countries, themes };
}

export function countriesOf(cases: CaseSummary[]): string[] {
  return [...new Set(cases.flatMap((item) => item.countries))];
}

/** Countries and themes as a form offers them: by name in the UI language, sorted for it. */
export async function referenceChoices(api: Api, locale: Locale) {
  const reference = await loadReference(api);
  const collator = new Intl.Collator(locale);
  const byLabel = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);
  const countries = [...reference.countries.values()]
    .map((country) => ({ value: country.code, label: localName(country, locale) }))
    .sort(byLabel);
  const themes = reference.themes
    .map((theme) => ({ value: theme.slug, label: localName(theme, locale) }))
    .sort(byLabel);
  return { countries, themes };
}

/**
 * The facets as the filters list them: most frequent first, then by name in the UI language.
 * Sorted here, on the server, so that the browser hydrating the page does not start a collator
 * (the first one costs tens of milliseconds of main thread).
 */
export function facetsByCount(facets: CaseFacets, names: Names, locale: Locale): CaseFacets {
  const collator = new Intl.Collator(locale);
  const order =
    <T>(key: (item: T) => string, labels: Record<string, string>) =>
    (a: T & { count: number }, b: T & { count: number }) =>
      b.count - a.count || collator.compare(labels[key(a)] ?? key(a), labels[key(b)] ?? key(b));
  return {
    ...facets,
    countries: [...facets.countries].sort(order((c: { code: string }) => c.code, names.countries)),
    themes: [...facets.themes].sort(order((t: { slug: string }) => t.slug, names.themes)),
  };
}
