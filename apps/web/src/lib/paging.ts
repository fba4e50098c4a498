/**
 * The rules of a paged list with "Load more" (the component is `components/PagedResults.svelte`):
 * the page the server rendered comes first, then the pages the browser appended for the same
 * query, each item once; a new query drops what was appended for the old one.
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The pages appended with "Load more", and the query they were loaded for. */
export interface Appended<T> {
  query: unknown;
  pages: Page<T>[];
}

/** Nothing appended yet (its query equals no query a caller can pass). */
export const NOTHING_APPENDED: Appended<never> = { query: Symbol('nothing appended'), pages: [] };

/**
 * A click the page may handle itself: the main button, with no key that asks the browser for a
 * new tab or window (those follow the link to the next page, as without JavaScript).
 */
export function isPlainClick(
  event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey'>,
): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/** `shown`, then the items of `next` not shown yet (a page repeats an item when the list moved meanwhile). */
export function appendOnce<T>(shown: T[], next: T[], key: (item: T) => string): T[] {
  const seen = new Set(shown.map(key));
  const out = [...shown];
  for (const item of next) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}

/** What the list shows for `query`: `page`, then the pages appended for that same query. */
export function shownPage<T>(page: Page<T>, appended: Appended<T>, query: unknown, key: (item: T) => string): Page<T> {
  const pages = appended.query === query ? appended.pages : [];
  const last = pages.at(-1) ?? page;
  return {
    items: pages.reduce((shown, next) => appendOnce(shown, next.items, key), appendOnce([], page.items, key)),
    nextCursor: last.nextCursor,
  };
}

/** `appended` with `next` added for `query` (starting afresh when the query changed). */
export function appendPage<T>(appended: Appended<T>, query: unknown, next: Page<T>): Appended<T> {
  return { query, pages: [...(appended.query === query ? appended.pages : []), next] };
}
