/** The people directory: listing, filtering and searching members, and one member's public profile. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import type { PeopleList, Profile } from '@opsi/contracts/profiles';
import { buildApp } from '../../app.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { testConfig, uniqueSlug } from '../../testing.ts';
import { insertMembers, listPeople, type NewMemberRow } from './repository.ts';
import profilesRoutes from './routes.ts';

let app: FastifyInstance;
beforeAll(async () => {
  // Hundreds of requests from one address: lift the global rate limit for this file.
  app = await buildApp({ config: testConfig({ RATE_LIMIT_PER_MINUTE: '100000' }) });
  // Until app.ts composes the profiles module, register it here.
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/people' })) await app.register(profilesRoutes);
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const DAY = 24 * 60 * 60 * 1000;
/** Antarctica: no demo member and no other test file lives there, so these filters are stable. */
const COUNTRY = 'AQ';
/** A word no seeded text contains, to find this file's members by full-text search. */
const WORD = `zq${process.pid.toString(36)}x${Date.now().toString(36)}`.replace(/\d/g, 'k');

function member(overrides: Partial<NewMemberRow> & { createdAt: Date }): NewMemberRow {
  const handle = overrides.handle ?? uniqueSlug('ppl');
  const bio = overrides.bio ?? '';
  return {
    handle,
    displayName: `Member ${handle}`,
    email: `${handle}@example.org`,
    headline: '',
    organisation: '',
    countryCode: COUNTRY,
    themes: [],
    links: [],
    ...overrides,
    bio,
    bioHtml: renderMarkdown(bio),
  };
}

const now = Date.now();
const people = {
  marisol: member({
    displayName: 'Marisol Quenneville',
    headline: `Designing participatory budgets for river towns ${WORD}`,
    organisation: 'Ville de Trois-Rivières (demo)',
    themes: ['participatory-budgeting', 'citizen-engagement'],
    bio: `Loves **deliberation**. ${WORD}`,
    links: ['https://example.org/marisol'],
    createdAt: new Date(now - 40 * DAY),
  }),
  okello: member({
    displayName: 'Okello Ssempa',
    headline: 'Procurement analytics',
    themes: ['public-procurement'],
    bio: `Once met someone called ${WORD} at a conference.`,
    createdAt: new Date(now - 30 * DAY),
  }),
  // Two members who joined at the same instant: the keyset must still order and page them.
  twinA: member({
    displayName: 'Tuula Aaltonen',
    headline: 'Okel valley water project',
    themes: ['justice'],
    createdAt: new Date(now - 20 * DAY),
  }),
  twinB: member({ displayName: 'Tarja Aaltonen', themes: ['justice'], createdAt: new Date(now - 20 * DAY) }),
  newest: member({
    displayName: '100% Marathon_Runner',
    headline: 'Health services',
    themes: ['health-and-wellbeing', 'justice'],
    createdAt: new Date(now - 10 * DAY),
  }),
};

beforeAll(async () => {
  await insertMembers(app.database.kysely, Object.values(people));
});

async function list(query: string): Promise<PeopleList> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/people${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PeopleList>();
}

const mine = new Set(Object.values(people).map((p) => p.handle));
const handles = (l: PeopleList) => l.items.map((p) => p.handle).filter((h) => mine.has(h));

async function allPages(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: PeopleList = await list(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map((p) => p.handle));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return seen;
}

describe('GET /api/v1/people', () => {
  it('lists members as person cards, newest first', async () => {
    const body = await list(`?country=${COUNTRY}&limit=100`);
    expect(body.total).toBe(body.items.length);
    expect(body.items.every((p) => p.countryCode === COUNTRY)).toBe(true);
    const card = body.items.find((p) => p.handle === people.marisol.handle);
    expect(card).toEqual({
      handle: people.marisol.handle,
      displayName: 'Marisol Quenneville',
      headline: people.marisol.headline,
      organisation: 'Ville de Trois-Rivières (demo)',
      countryCode: COUNTRY,
      themes: ['participatory-budgeting', 'citizen-engagement'],
      joinedAt: people.marisol.createdAt.toISOString(),
    });
    const order = handles(body);
    expect(order[0]).toBe(people.newest.handle);
    expect(order.slice(1, 3).sort()).toEqual([people.twinA.handle, people.twinB.handle].sort());
    expect(order.slice(3)).toEqual([people.okello.handle, people.marisol.handle]);
    const times = body.items.map((p) => Date.parse(p.joinedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Without filters: everyone, 20 by default.
    const everyone = await list('');
    expect(everyone.total).toBeGreaterThanOrEqual(5);
    expect(everyone.items).toHaveLength(Math.min(20, everyone.total));
  });

  it('pages through every match exactly once with the cursor, ties included', async () => {
    const all = await list(`?country=${COUNTRY}&limit=100`);
    for (const limit of [1, 2, 3]) {
      expect(await allPages(`?country=${COUNTRY}`, limit)).toEqual(all.items.map((p) => p.handle));
    }
    const second = await list(
      `?country=${COUNTRY}&limit=2&cursor=${encodeURIComponent((await list(`?country=${COUNTRY}&limit=2`)).nextCursor!)}`,
    );
    expect(second.total).toBe(all.total);
  });

  it('filters by theme, and by theme and country together', async () => {
    const justice = await list(`?country=${COUNTRY}&theme=justice&limit=100`);
    expect(justice.items.every((p) => p.themes.includes('justice') && p.countryCode === COUNTRY)).toBe(true);
    expect(handles(justice)[0]).toBe(people.newest.handle);
    expect(new Set(handles(justice))).toEqual(
      new Set([people.newest.handle, people.twinA.handle, people.twinB.handle]),
    );
    const anywhere = await list('?theme=justice&limit=100');
    expect(anywhere.items.every((p) => p.themes.includes('justice'))).toBe(true);
    expect(anywhere.total).toBeGreaterThanOrEqual(3);
    expect(
      (await list(`?country=${COUNTRY}&theme=economic-development`)).items.filter((p) => mine.has(p.handle)),
    ).toEqual([]);
  });

  it('searches the full text, stemmed, with the best match first', async () => {
    // "budget" matches "budgets" in Marisol's headline.
    expect(handles(await list(`?country=${COUNTRY}&q=budget`))).toEqual([people.marisol.handle]);
    // The word is in Marisol's headline (weighted above) and only in Okello's bio.
    const ranked = await list(`?q=${WORD}`);
    expect(ranked.items.map((p) => p.handle)).toEqual([people.marisol.handle, people.okello.handle]);
    expect(ranked.total).toBe(2);
    const excluded = await list(`?q=${encodeURIComponent(`${WORD} -deliberation`)}`);
    expect(excluded.items.map((p) => p.handle)).toEqual([people.okello.handle]);
    expect(await list('?q=zzzxqqqnotaword')).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('finds members by the start of their name or handle', async () => {
    // Typing "mar" finds Marisol (and "100% Marathon_Runner", whose second word starts with it).
    const mar = await list(`?country=${COUNTRY}&q=mar&limit=100`);
    expect(handles(mar)).toContain(people.marisol.handle);
    expect(handles(mar)).toContain(people.newest.handle);
    expect(handles(mar)).not.toContain(people.okello.handle);
    expect(handles(await list(`?country=${COUNTRY}&q=QUENNEV`))).toEqual([people.marisol.handle]);
    expect(handles(await list(`?country=${COUNTRY}&q=aalt&limit=100`)).sort()).toEqual(
      [people.twinA.handle, people.twinB.handle].sort(),
    );
    // A handle's start, or the start of one of its dash-separated parts.
    const byHandle = await list(
      `?q=${encodeURIComponent(people.okello.handle.slice(0, 12))}&country=${COUNTRY}&limit=100`,
    );
    expect(handles(byHandle)).toContain(people.okello.handle);
    // A name starting with what was typed beats the word in a headline.
    expect(handles(await list(`?country=${COUNTRY}&q=okel`))).toEqual([people.okello.handle, people.twinA.handle]);
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    expect(handles(await list(`?country=${COUNTRY}&q=${encodeURIComponent('%')}`))).toEqual([]);
    expect(handles(await list(`?country=${COUNTRY}&q=${encodeURIComponent('_')}`))).toEqual([]);
    // Unescaped, these would match "Marisol", "Aaltonen"…
    expect(handles(await list(`?country=${COUNTRY}&q=${encodeURIComponent('%a')}`))).toEqual([]);
    expect(handles(await list(`?country=${COUNTRY}&q=${encodeURIComponent('_arisol')}`))).toEqual([]);
    // …while the characters themselves still match.
    expect(handles(await list(`?country=${COUNTRY}&q=${encodeURIComponent('Marathon_R')}`))).toEqual([
      people.newest.handle,
    ]);
  });

  it('pages through search results in relevance order', async () => {
    const all = await list(`?country=${COUNTRY}&q=a&limit=100`);
    expect(all.total).toBe(all.items.length);
    expect(await allPages(`?country=${COUNTRY}&q=a`, 1)).toEqual(all.items.map((p) => p.handle));
    // Equal scores and equal join times (the twins) still page exactly once each.
    const twins = await list(`?country=${COUNTRY}&q=Aaltonen&limit=100`);
    expect(twins.items.map((p) => p.handle).sort()).toEqual([people.twinA.handle, people.twinB.handle].sort());
    expect(await allPages(`?country=${COUNTRY}&q=Aaltonen`, 1)).toEqual(twins.items.map((p) => p.handle));
  });

  it('pages by relevance with a keyset (score, join time, id), never an OFFSET', async () => {
    const statements: string[] = [];
    const db = app.database.kysely;
    const capture: KyselyPlugin = {
      transformQuery(args) {
        statements.push(db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const first = await listPeople(db.withPlugin(capture), { q: 'a', country: COUNTRY }, 'relevance', { limit: 2 });
    const last = first.rows[1]!;
    expect(typeof last.rank).toBe('number');
    const second = await listPeople(db.withPlugin(capture), { q: 'a', country: COUNTRY }, 'relevance', {
      afterId: last.id,
      rank: last.rank,
      limit: 100,
    });
    const all = await list(`?country=${COUNTRY}&q=a&limit=100`);
    expect([...first.rows, ...second.rows].map((r) => r.handle)).toEqual(all.items.map((p) => p.handle));
    expect(statements).toHaveLength(2);
    for (const statement of statements) expect(statement).not.toMatch(/\boffset\b/i);
  });

  it('refuses a cursor from another kind of listing', async () => {
    const byRelevance = (await list(`?country=${COUNTRY}&q=a&limit=1`)).nextCursor;
    const newest = (await list(`?country=${COUNTRY}&limit=1`)).nextCursor;
    expect(byRelevance && newest).toBeTruthy();
    for (const url of [
      `/api/v1/people?country=${COUNTRY}&cursor=${encodeURIComponent(byRelevance!)}`,
      `/api/v1/people?country=${COUNTRY}&q=a&cursor=${encodeURIComponent(newest!)}`,
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: { details: { field: string }[] } }>().error.details).toEqual([
        { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API issued' },
      ]);
    }
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['?country=france', 'country'],
      ['?country=fr', 'country'],
      ['?theme=Not%20A%20Slug', 'theme'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=garbage', 'cursor'],
      [`?q=${'x'.repeat(201)}`, 'q'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/people${query}` });
      expect(res.statusCode, query).toBe(400);
      const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.field)).toContain(field);
    }
  });

  // eslint-disable-next-line no-control-regex -- the characters the API refuses in any text
  const CONTROL = /[\u0000-\u0008\v\f\u000e-\u001f]/;

  it('never answers a 5xx to any naughty string as q', async () => {
    const strings = [...naughty, '\u0000', '%00%ff', '\\', 'a\\', "o'brien", ':*', '!', '"unterminated', '(((('];
    for (const q of strings) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/people?q=${encodeURIComponent(q)}&limit=5` });
      expect(res.statusCode, JSON.stringify(q)).toBeLessThan(500);
      if (CONTROL.test(q)) {
        // NUL and the other C0 controls but tab, CR and LF are refused wherever text comes in.
        expect(res.statusCode, JSON.stringify(q)).toBe(400);
        expect(res.json<{ error: { details: { field: string }[] } }>().error.details[0]?.field).toBe('q');
      } else if ([...q].length <= 200) {
        expect(res.statusCode, JSON.stringify(q)).toBe(200);
        const body = res.json<PeopleList>();
        expect(body.items.length).toBeLessThanOrEqual(5);
        expect(body.total).toBeGreaterThanOrEqual(body.items.length);
      }
    }
    for (const raw of ['%ff', '%00', '%', '%zz', '&&&']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/people?q=${raw}` });
      expect(res.statusCode, raw).toBeLessThan(500);
    }
  });
});

describe('GET /api/v1/people/:handle', () => {
  it('returns the public profile', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/people/${people.marisol.handle}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>()).toEqual({
      handle: people.marisol.handle,
      displayName: 'Marisol Quenneville',
      headline: people.marisol.headline,
      organisation: 'Ville de Trois-Rivières (demo)',
      countryCode: COUNTRY,
      bio: `Loves **deliberation**. ${WORD}`,
      bioHtml: `<p>Loves <strong>deliberation</strong>. ${WORD}</p>\n`,
      themes: ['participatory-budgeting', 'citizen-engagement'],
      links: ['https://example.org/marisol'],
      joinedAt: people.marisol.createdAt.toISOString(),
      followerCount: 0,
      role: 'member',
      openToIntroductions: false,
      proposedCases: [],
    });
    // Public data only: no email, no id.
    expect(res.body).not.toContain('@example.org');
  });

  it('answers 404 in the error shape for an unknown handle, 400 for an impossible one', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/people/${uniqueSlug('nobody')}` });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'not_found' });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/people/Not%20A%20Handle' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
  });
});
