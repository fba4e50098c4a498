/**
 * The public cache dropped by what changed, on two nodes of one database: each kind of change made
 * through node A drops, on node B, once B's outbox has read it (or B heard the invalidation bus),
 * the cached answers that show it and no others; what B answers next is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail } from '@opsi/contracts/cases';
import type { PostList } from '@opsi/contracts/discussions';
import {
  call,
  createTestApp,
  createTestCase,
  invalidationsHeard,
  signUp,
  signUpAs,
  writePost,
  type Member,
} from '../testing.ts';

let a: FastifyInstance;
let b: FastifyInstance;
let admin: Member;
let member: Member;
let x: string;
let y: string;

// Answers kept for an hour: only an invalidation drops them here, never their expiry on a slow machine.
const KEPT = { ABUSE_LIMITS: 'off', PUBLIC_CACHE_SECONDS: '3600' };
beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp(KEPT), createTestApp(KEPT)]);
  [admin, member] = await Promise.all([signUpAs(a, 'admin'), signUp(a)]);
  x = await createTestCase(a, { countries: ['HM'] });
  y = await createTestCase(a, { countries: ['FR'] });
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

/** Anonymous answers node B caches, by name: [url, cache key]. */
const answers = () =>
  ({
    threadX: [`/api/v1/cases/${x}/posts?limit=50`, `posts:${x}::50`],
    threadY: [`/api/v1/cases/${y}/posts?limit=50`, `posts:${y}::50`],
    caseX: [`/api/v1/cases/${x}`, `cases:one:${x}:`],
    caseY: [`/api/v1/cases/${y}`, `cases:one:${y}:`],
    listAll: ['/api/v1/cases?limit=20', 'cases:list:{"limit":20}'],
    listHM: ['/api/v1/cases?country=HM', 'cases:list:{"country":"HM","limit":20}'],
    listFR: ['/api/v1/cases?country=FR', 'cases:list:{"country":"FR","limit":20}'],
    facets: ['/api/v1/cases/facets', 'cases:facets:{}'],
    search: ['/api/v1/search?q=budget', 'search:{"q":"budget","type":"all","limit":20}'],
    events: ['/api/v1/events', 'events:list:{"when":"upcoming","limit":20}'],
    atomHM: ['/api/v1/countries/HM/feed.atom', 'atom:country:HM'],
    atomFR: ['/api/v1/countries/FR/feed.atom', 'atom:country:FR'],
  }) as const;
type Name = keyof ReturnType<typeof answers>;

async function warm(): Promise<void> {
  for (const [name, [url, key]] of Object.entries(answers())) {
    const res = await call(b, null, { url });
    expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
    expect(b.publicCache.cached(key), `${name} cached as ${key}`).toBe(true);
  }
}

/** After a change through node A: which of B's cached answers it dropped, once B read the outbox. */
async function droppedBy(change: () => Promise<void>): Promise<Name[]> {
  // Whatever was committed before (the cases made in beforeAll through the service, which pokes no
  // bus) has reached B first: a late drop of a tag would land in the middle of warming.
  await b.activities.poke();
  await warm();
  await change();
  await a.activities.poke();
  await b.activities.poke();
  await invalidationsHeard();
  return (Object.entries(answers()) as [Name, readonly [string, string]][])
    .filter(([, [, key]]) => !b.publicCache.cached(key))
    .map(([name]) => name)
    .sort();
}

const sorted = (names: Name[]) => [...names].sort();

describe('the public cache on two nodes, dropped by what changed', () => {
  it('a post: its thread, its case, the lists that may hold it, search and its hubs’ feeds', async () => {
    let id = '';
    const dropped = await droppedBy(async () => {
      id = (await writePost(a, member, x, 'A new post for the cache')).id;
    });
    expect(dropped).toEqual(sorted(['threadX', 'caseX', 'listAll', 'listHM', 'search', 'atomHM']));
    // B answers afresh.
    const page = (await call(b, null, { url: answers().threadX[0] })).json<PostList>();
    expect(page.items.map((p) => p.id)).toContain(id);
    expect((await call(b, null, { url: answers().caseX[0] })).json<CaseDetail>().postCount).toBe(1);
  });

  it('a reaction: only its thread', async () => {
    const post = await writePost(a, admin, y, 'To react to');
    const dropped = await droppedBy(async () => {
      await call(a, member, { method: 'PUT', url: `/api/v1/posts/${post.id}/reactions/like` });
    });
    expect(dropped).toEqual(['threadY']);
    const page = (await call(b, null, { url: answers().threadY[0] })).json<PostList>();
    expect(page.items.find((p) => p.id === post.id)?.reactions.like).toBe(1);
  });

  it('a hidden post: as a post, its thread, case, lists, search and feeds', async () => {
    const post = await writePost(a, member, x, 'Soon hidden from the cache');
    const dropped = await droppedBy(async () => {
      const res = await call(a, admin, {
        method: 'POST',
        url: `/api/v1/moderation/posts/${post.id}/hidden`,
        payload: { reason: 'Off topic' },
      });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(dropped).toEqual(sorted(['threadX', 'caseX', 'listAll', 'listHM', 'search', 'atomHM']));
    const page = (await call(b, null, { url: answers().threadX[0] })).json<PostList>();
    expect(page.items.find((p) => p.id === post.id)).toMatchObject({ hidden: true, body: '' });
  });

  it('a case edit: the case and its thread, every list and facet, search and every feed; not events or other threads', async () => {
    const version = (await call(a, null, { url: `/api/v1/cases/${x}` })).json<CaseDetail>().version;
    const dropped = await droppedBy(async () => {
      const res = await call(a, admin, {
        method: 'PATCH',
        url: `/api/v1/cases/${x}`,
        payload: { version, summary: 'Edited for the cache test.' },
      });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(dropped).toEqual(
      sorted(['threadX', 'caseX', 'listAll', 'listHM', 'listFR', 'facets', 'search', 'atomHM', 'atomFR']),
    );
    expect((await call(b, null, { url: answers().caseX[0] })).json<CaseDetail>().summary).toBe(
      'Edited for the cache test.',
    );
  });

  it('a follow of a case: that case only', async () => {
    const dropped = await droppedBy(async () => {
      expect((await call(a, member, { method: 'PUT', url: `/api/v1/follows/case/${y}` })).statusCode).toBe(200);
    });
    expect(dropped).toEqual(['caseY']);
    expect((await call(b, null, { url: answers().caseY[0] })).json<CaseDetail>().followerCount).toBe(1);
    // An unfollow publishes no activity: the invalidation bus tells node B.
    const undone = await droppedBy(async () => {
      expect((await call(a, member, { method: 'DELETE', url: `/api/v1/follows/case/${y}` })).statusCode).toBe(200);
    });
    expect(undone).toEqual(['caseY']);
    expect((await call(b, null, { url: answers().caseY[0] })).json<CaseDetail>().followerCount).toBe(0);
  });

  it('a translation: the case, lists, facets and search, through the invalidation bus', async () => {
    const dropped = await droppedBy(async () => {
      const res = await call(a, admin, {
        method: 'PUT',
        url: `/api/v1/cases/${y}/translations/fr`,
        payload: { title: 'Cas traduit', summary: 'Un résumé traduit.' },
      });
      expect(res.statusCode, res.body).toBe(201);
    });
    expect(dropped).toEqual(sorted(['caseY', 'listAll', 'listHM', 'listFR', 'facets', 'search']));
    expect((await call(b, null, { url: answers().caseY[0] })).json<CaseDetail>().translations).toEqual(['fr']);
  });

  it('an event: the lists of events and the feeds of its hubs, nothing about cases', async () => {
    const organiser = await signUpAs(a, 'organiser');
    const starts = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
    const dropped = await droppedBy(async () => {
      const res = await call(a, organiser, {
        method: 'POST',
        url: '/api/v1/events',
        payload: {
          title: 'Cache workshop',
          slug: `cache-${Date.now().toString(36)}`,
          description: 'About caches.',
          startsAt: starts.toISOString(),
          endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
          timezone: 'Europe/Paris',
          mode: 'online',
          onlineUrl: 'https://meet.example.org/cache',
          countries: ['FR'],
          themes: ['digital-government'],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    });
    expect(dropped).toEqual(sorted(['events', 'atomFR']));
  });
});
