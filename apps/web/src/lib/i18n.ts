/** Language helpers around Paraglide: localized paths, names and dates. */
import type { ResolvedPathname } from '$app/types';
import { getLocale, localizeHref, type Locale } from '#lib/paraglide/runtime.js';
import { dateTimeFormat, formatOnce } from '#lib/intl.ts';

export type { Locale };

/**
 * An app path in the current UI language: `/cases` stays `/cases` in English and becomes
 * `/fr/cases` in French. Typed as SvelteKit's resolved pathname: it is ready for `href` and `goto`.
 */
export function href(path: string, locale: Locale = getLocale()): ResolvedPathname {
  return localizeHref(path, { locale }) as ResolvedPathname;
}

/** English or French name of a country or theme, as served by the API. */
export function localName(item: { name: string; nameFr: string }, locale: Locale = getLocale()): string {
  return locale === 'fr' ? item.nameFr || item.name : item.name;
}

const DEFAULT_FORMAT_LOCALE: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

/**
 * The viewer's formatting locale for the UI language: the first Accept-Language tag in that
 * language (so an American reader gets US dates in English, a Québécois reader Canadian French).
 */
export function pickFormatLocale(locale: Locale, acceptLanguage: string | null): string {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter(({ tag, q }) => tag && tag !== '*' && q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.toLowerCase().split('-')[0] !== locale) continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported && supported.includes('-')) return supported;
    } catch {
      // a malformed tag: try the next one
    }
  }
  return DEFAULT_FORMAT_LOCALE[locale];
}

/** A calendar date such as "3 March 2026" / "3 mars 2026" (UTC, so server and browser agree). */
export function formatDate(iso: string, formatLocale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatOnce(`date\u0001${formatLocale}\u0001${iso}`, () =>
    dateTimeFormat(formatLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(date),
  );
}

/** A date and time such as "3 March 2026 at 14:05 UTC" (in UTC, so server and browser agree). */
export function formatDateTime(iso: string, formatLocale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatOnce(`datetime\u0001${formatLocale}\u0001${iso}`, () =>
    dateTimeFormat(formatLocale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
      timeZoneName: 'short',
    }).format(date),
  );
}
