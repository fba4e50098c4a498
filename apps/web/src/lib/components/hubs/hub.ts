/**
 * What a country or theme hub shows, read from the public API: a few of its cases, the cases
 * discussed most recently, upcoming events, people, and the follow state. Shared by
 * /countries/[code] and /themes/[slug]; each page checks its code or slug first.
 */
import type { CaseSummary } from '@opsi/contracts/cases';
import type { EventSummary } from '@opsi/contracts/events';
import type { FollowState } from '@opsi/contracts/follows';
import type { PersonCard } from '@opsi/contracts/profiles';
import { must, or404, type Api } from '#lib/api/client.ts';

/** Two full rows of the two- and three-column card grids. */
const CASES = 6;
const PEOPLE = 6;
/** One row of event cards. */
const EVENTS = 3;
const DISCUSSIONS = 5;
/** One row of the "Most discussed" cards. */
const DISCUSSED = 3;
/** Recently active cases read to find those with posts (activity also counts new cases). */
const ACTIVE_SCAN = 30;

export type HubFilter = { type: 'country'; key: string } | { type: 'theme'; key: string };

export interface Hub {
  cases: CaseSummary[];
  caseTotal: number;
  /** Cases with posts, the most recently active first. */
  discussions: CaseSummary[];
  /** Cases with the most posts (not among `cases`), for "Most discussed". */
  discussed: CaseSummary[];
  events: EventSummary[];
  people: PersonCard[];
  peopleTotal: number;
  follow: FollowState;
}

/** `lang`: the page's language (cases translated into it come in the translation). */
export async function loadHub(api: Api, filter: HubFilter, lang: string): Promise<Hub> {
  const scope = filter.type === 'country' ? { country: filter.key, lang } : { theme: filter.key, lang };
  const [cases, active, mostDiscussed, upcoming, people, follow] = await Promise.all([
    or404(api.GET('/api/v1/cases', { params: { query: { ...scope, sort: 'newest', limit: CASES } } })),
    or404(api.GET('/api/v1/cases', { params: { query: { ...scope, sort: 'activity', limit: ACTIVE_SCAN } } })),
    or404(api.GET('/api/v1/cases', { params: { query: { ...scope, sort: 'discussed', limit: CASES + DISCUSSED } } })),
    must(api.GET('/api/v1/events', { params: { query: { ...scope, limit: EVENTS } } })),
    or404(api.GET('/api/v1/people', { params: { query: { ...scope, limit: PEOPLE } } })),
    or404(api.GET('/api/v1/follows/{type}/{key}', { params: { path: { type: filter.type, key: filter.key } } })),
  ]);
  return {
    cases: cases.items,
    caseTotal: cases.total,
    discussions: active.items.filter((item) => item.postCount > 0).slice(0, DISCUSSIONS),
    discussed: mostDiscussed.items
      .filter((item) => item.postCount > 0 && !cases.items.some((shown) => shown.slug === item.slug))
      .slice(0, DISCUSSED),
    events: upcoming.items,
    people: people.items,
    peopleTotal: people.total,
    follow,
  };
}

/** Country codes the hub's cards name (cases, events, people). */
export function hubCountries(hub: Hub): Set<string> {
  const codes = new Set<string>();
  for (const item of [...hub.cases, ...hub.discussed, ...hub.discussions, ...hub.events]) {
    for (const code of item.countries) codes.add(code);
  }
  for (const person of hub.people) if (person.countryCode) codes.add(person.countryCode);
  return codes;
}
