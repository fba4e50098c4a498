/**
 * Content in another language than the page: a French page shows an English case, an English page
 * a French post. Such content carries its own `lang` so screen readers read it with the right
 * voice (WCAG 3.1.2), and a case shown in another language says so in the page's words.
 */
import { displayNames, formatOnce } from '#lib/intl.ts';

/** The primary subtag: `pt` of `pt-BR`. */
function primary(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** The `lang` attribute for content in `language` on a page in `pageLocale`: undefined when they agree. */
export function langFor(language: string | undefined, pageLocale: string): string | undefined {
  if (!language || primary(language) === primary(pageLocale)) return undefined;
  return language;
}

/** The name of `language` in the page's language, as it follows "available in" ("anglais", "French"). */
export function languageName(language: string, pageLocale: string): string {
  return formatOnce(`language\u0001${pageLocale}\u0001${language}`, () => {
    try {
      return displayNames(pageLocale, { type: 'language' }).of(language) ?? language;
    } catch {
      return language;
    }
  });
}
