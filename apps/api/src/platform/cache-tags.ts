/**
 * The tags of the public cache's entries (platform/cache.ts): what each cached answer shows, so a
 * change drops only the answers that show it. The routes tag what they cache; the cache plugin
 * maps each committed activity to the tags it touches.
 */
export const CacheTags = {
  /** The pages of a case's thread. */
  thread: (slug: string) => `thread:${slug}`,
  /** One case (every language). */
  case: (slug: string) => `case:${slug}`,
  /** Every case (a change that may show in any of them). */
  allCases: 'case:*',
  /** Every list and facet count of cases. */
  caseLists: 'cases',
  /** Lists of cases with no country or theme filter. */
  unfilteredCaseLists: 'cases:all',
  /** Lists of cases filtered by this country or theme. */
  hubCaseLists: (hub: 'country' | 'theme', key: string) => `cases:${hub}:${key}`,
  /** Facet counts of cases (they count cases; posts change them only through `q`). */
  facets: 'facets',
  /** Answers that search the text of posts (search, lists and facets with `q`). */
  search: 'search',
  /** Every list of events. */
  events: 'events',
  /** What is cached about one event (its calendar links). */
  event: (slug: string) => `event:${slug}`,
  /** Every hub's Atom feed. */
  atoms: 'atom',
  /** A hub's Atom feed. */
  atom: (hub: 'country' | 'theme', key: string) => `atom:${hub}:${key}`,
} as const;

/** The tags of a list of cases, from its filters. */
export function caseListTags(query: {
  q?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
}) {
  const tags: string[] = [CacheTags.caseLists];
  if (query.country) tags.push(CacheTags.hubCaseLists('country', query.country));
  if (query.theme) tags.push(CacheTags.hubCaseLists('theme', query.theme));
  if (!query.country && !query.theme) tags.push(CacheTags.unfilteredCaseLists);
  if (query.q) tags.push(CacheTags.search);
  return tags;
}

/** The tags of facet counts of cases, from their filters. */
export function facetTags(query: { q?: string | undefined }) {
  return query.q ? [CacheTags.caseLists, CacheTags.facets, CacheTags.search] : [CacheTags.caseLists, CacheTags.facets];
}
