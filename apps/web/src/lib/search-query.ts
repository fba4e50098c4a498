/**
 * The /search page: read the query and the kind of result from a URL, dropping what the API would
 * reject (so a hand-edited address shows results rather than an error page), and write them back.
 */
import { SearchQuery } from '@opsi/contracts/discussions';
import { limitOf } from '#lib/input-rules.ts';

export type SearchType = NonNullable<SearchQuery['type']>;

/** The kinds of result, in the order of the page's tabs. */
export const SEARCH_TYPES = ['all', 'cases', 'posts'] as const satisfies readonly SearchType[];
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const complete: Missing<SearchType, (typeof SEARCH_TYPES)[number]> = true;
void complete;

/** 20 results a page: a short scroll of ranked hits. */
export const SEARCH_PAGE_SIZE = 20;

export interface SearchFilters {
  q: string;
  type: SearchType;
}

export const NO_SEARCH: SearchFilters = { q: '', type: 'all' };

/** The longest search text the API takes. */
export const SEARCH_QUERY_MAX = limitOf(SearchQuery.properties.q, 'maxLength');

/** Search text as the API accepts it: no control characters, single spaces, at most SEARCH_QUERY_MAX characters. */
export function cleanQuery(raw: string | null): string {
  return (
    (raw ?? '')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
      .trim()
      .slice(0, SEARCH_QUERY_MAX)
      .trim()
  );
}

export function parseSearch(params: URLSearchParams): SearchFilters {
  const type = params.get('type');
  return {
    q: cleanQuery(params.get('q')),
    type: SEARCH_TYPES.find((known) => known === type) ?? 'all',
  };
}

/** Query parameters for a search, leaving out the defaults, in a stable order. */
export function searchParams(search: SearchFilters, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.type !== 'all') params.set('type', search.type);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The /search address (without the language prefix). */
export function searchPath(search: Partial<SearchFilters> = {}, cursor: string | null = null): string {
  const query = searchParams({ ...NO_SEARCH, ...search }, cursor).toString();
  return query ? `/search?${query}` : '/search';
}

/** How many results a kind of search has, from the API's `total`. */
export function totalFor(total: { cases: number; posts: number }, type: SearchType): number {
  switch (type) {
    case 'all':
      return total.cases + total.posts;
    case 'cases':
      return total.cases;
    case 'posts':
      return total.posts;
  }
}

/** The address of a post in its case's thread (the thread gives each post `id="post-<id>"`; `?post=` renders its window). */
export function postPath(post: { caseSlug: string; id: string }): string {
  return `/cases/${encodeURIComponent(post.caseSlug)}?post=${post.id}#post-${post.id}`;
}

/**
 * Searches to suggest when nothing matched: the query without its quotes, exclusions and `OR`s,
 * then each of its words alone (the longest first), never the query itself.
 */
export function suggestionsFor(q: string, limit = 3): string[] {
  const words = q
    .replace(/["“”«»]/g, ' ')
    .split(' ')
    .filter((word) => word && !word.startsWith('-') && word.toUpperCase() !== 'OR')
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word.length > 1);
  const simpler = words.join(' ');
  const candidates = [simpler, ...[...new Set(words)].sort((a, b) => b.length - a.length)];
  const seen = new Set([q.toLowerCase()]);
  const out: string[] = [];
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    if (!candidate || seen.has(key)) continue;
    seen.add(key);
    out.push(candidate);
    if (out.length === limit) break;
  }
  return out;
}

/** A stable key for a hit: a case by its slug, a post by its id. */
export function hitKey(hit: { type: 'case'; case: { slug: string } } | { type: 'post'; post: { id: string } }): string {
  return hit.type === 'case' ? `case:${hit.case.slug}` : `post:${hit.post.id}`;
}
