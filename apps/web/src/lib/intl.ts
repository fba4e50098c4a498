/**
 * Intl formatters, made once per locale and options and then reused. Making one
 * (`new Intl.DateTimeFormat(...)`) costs far more than formatting with it: a page of 24 case
 * cards made ~100 of them while hydrating, a third of its script time. Formatters hold no state
 * between calls, so sharing them changes no output.
 *
 * The locale comes from the reader's Accept-Language on the server, so the number of keys is
 * bounded: past MAX_KEYS a cache starts again rather than grow.
 */

const MAX_KEYS = 256;

type IntlConstructor<O, T> = new (locales: string | string[], options: O) => T;

const caches = new Map<unknown, Map<string, unknown>>();

/** The formatter `new Ctor(locale, options)` would give, made at most once per key. */
export function cachedIntl<O, T>(Ctor: IntlConstructor<O, T>, locale: string | string[], options: O): T {
  let cache = caches.get(Ctor) as Map<string, T> | undefined;
  if (!cache) {
    cache = new Map();
    caches.set(Ctor, cache);
  }
  const key = `${String(locale)}\u0000${options === undefined ? '' : JSON.stringify(options)}`;
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = new Ctor(locale, options);
    if (cache.size >= MAX_KEYS) cache.clear();
    cache.set(key, formatter);
  }
  return formatter;
}

export const dateTimeFormat = (locale: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  cachedIntl(Intl.DateTimeFormat, locale, options);

export const numberFormat = (locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat =>
  cachedIntl(Intl.NumberFormat, locale, options);

export const listFormat = (locale: string, options?: Intl.ListFormatOptions): Intl.ListFormat =>
  cachedIntl(Intl.ListFormat, locale, options);

export const relativeTimeFormat = (locale: string, options?: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat =>
  cachedIntl(Intl.RelativeTimeFormat, locale, options);

export const collator = (locale: string, options?: Intl.CollatorOptions): Intl.Collator =>
  cachedIntl(Intl.Collator, locale, options);

export const displayNames = (locale: string, options: Intl.DisplayNamesOptions): Intl.DisplayNames =>
  cachedIntl(Intl.DisplayNames, locale, options);

/**
 * Counts in English and French without Intl: Paraglide's `number()` for a message such as
 * "3 posts". The first Intl.NumberFormat or DateTimeFormat in a page starts ICU's number
 * formatting, 30–70 ms of main thread on this machine (four times that on Lighthouse's phone),
 * for a page whose only numbers are counts. Whole numbers with no options are written here the
 * way Intl writes them (intl.test.ts compares both); anything else goes to Intl.
 */
export function formatNumber(locale: string, input: unknown, options: Intl.NumberFormatOptions | undefined): string {
  const n = Number(input);
  const plain = options === undefined || Object.keys(options).length === 0;
  const separator = locale === 'en' ? ',' : locale === 'fr' ? '\u202f' : null;
  if (plain && separator !== null && Number.isSafeInteger(n) && n >= 0) {
    const digits = String(n);
    let text = '';
    for (let i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) text += separator;
      text += digits[i];
    }
    return text;
  }
  return cachedIntl(Intl.NumberFormat, locale, options).format(n);
}

/** The element in which the server leaves the texts it formatted for the page (see formatOnce). */
export const FORMATS_ELEMENT_ID = 'opsi-formats';

let serverFormats: (() => Map<string, string> | undefined) | undefined;
let pageFormats: Map<string, string> | null | undefined;

/** Server only (hooks.server.ts): where the texts formatted while rendering a request's page are kept. */
export function keepFormatsIn(current: () => Map<string, string> | undefined): void {
  serverFormats = current;
}

/**
 * The texts `run` formats through formatOnce, keyed as formatOnce keys them: what the zone worker
 * formats away from the page's main thread (#lib/zone-worker.ts), for keepFormats there.
 */
export function recordFormats(run: () => void): Map<string, string> {
  const previous = serverFormats;
  const kept = new Map<string, string>();
  serverFormats = () => kept;
  try {
    run();
  } finally {
    serverFormats = previous;
  }
  return kept;
}

/** Past this many texts, the browser's table starts again from what it is given (formatOnce then formats the rest). */
const MAX_PAGE_FORMATS = 4096;

/** Browser: texts formatted elsewhere (the zone worker), for formatOnce to find as if the server had left them. */
export function keepFormats(entries: Iterable<readonly [string, string]>): void {
  let kept = formatsOfPage();
  if (!kept || kept.size >= MAX_PAGE_FORMATS) {
    kept = new Map();
    pageFormats = kept;
  }
  for (const [key, text] of entries) kept.set(key, text);
}

/** What the server formatted for the page the browser is hydrating (read once). */
function formatsOfPage(): Map<string, string> | null {
  if (pageFormats !== undefined) return pageFormats;
  pageFormats = null;
  const text = typeof document === 'undefined' ? null : document.getElementById(FORMATS_ELEMENT_ID)?.textContent;
  if (text) {
    try {
      pageFormats = new Map(Object.entries(JSON.parse(text) as Record<string, string>));
    } catch {
      // not ours or cut short: format again
    }
  }
  return pageFormats;
}

/**
 * A date, time or list formatted with Intl, formatted once per page: the server keeps the text in
 * the page it renders, and the browser hydrating that page takes it from there instead of
 * starting ICU (see formatNumber). `key` names the function and every argument it reads.
 */
export function formatOnce(key: string, make: () => string): string {
  if (serverFormats) {
    const kept = serverFormats();
    if (!kept) return make();
    let text = kept.get(key);
    if (text === undefined) {
      text = make();
      kept.set(key, text);
    }
    return text;
  }
  return formatsOfPage()?.get(key) ?? make();
}

/** The texts kept while rendering a page, as the element the browser reads them from. */
export function formatsElement(kept: Map<string, string>): string {
  const json = JSON.stringify(Object.fromEntries(kept)).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${FORMATS_ELEMENT_ID}">${json}</script>`;
}

/** A list such as "France, Canada" / "France et Canada", formatted once per page (formatOnce). */
export function formatList(locale: string, options: Intl.ListFormatOptions, items: string[]): string {
  return formatOnce(`list\u0001${locale}\u0001${JSON.stringify(options)}\u0001${JSON.stringify(items)}`, () =>
    listFormat(locale, options).format(items),
  );
}
