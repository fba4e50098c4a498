import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail, CaseFacets, CaseList } from '@opsi/contracts/cases';
import type { KyselyPlugin } from 'kysely';
import { createTestApp } from '../../testing.ts';
import { listCases } from './repository.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function list(query: string): Promise<CaseList> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseList>();
}

describe('GET /api/v1/cases', () => {
  it('lists the seeded cases with the contract fields, most recent activity first', async () => {
    const body = await list('?limit=100');
    expect(body.total).toBeGreaterThanOrEqual(20);
    const first = body.items[0]!;
    expect(Object.keys(first).sort()).toEqual(
      [
        'countries',
        'language',
        'lastActivityAt',
        'levelOfGovernment',
        'organisation',
        'postCount',
        'slug',
        'stage',
        'summary',
        'textLanguage',
        'themes',
        'title',
        'year',
      ].sort(),
    );
    const times = body.items.map((c) => Date.parse(c.lastActivityAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(body.items.find((c) => c.slug === 'my-france-2022')?.countries).toEqual(['FR']);
  });

  it('defaults to 20 items and pages through every case exactly once with the cursor', async () => {
    // A theme other test files never add cases to, so the set is stable while they run.
    const all = await list('?theme=citizen-engagement&limit=100');
    expect(all.total).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: CaseList = await list(
        `?theme=citizen-engagement&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.slug));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all.items.map((c) => c.slug));
    expect((await list('')).items).toHaveLength(20);
  });

  it('pages a search by relevance with a keyset (rank, id), every match exactly once, never an OFFSET', async () => {
    const all = await list('?q=government&theme=citizen-engagement&limit=100');
    expect(all.total).toBeGreaterThan(2);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: CaseList = await list(
        `?q=government&theme=citizen-engagement&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items.map((c) => c.slug));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all.items.map((c) => c.slug));
    const statements: string[] = [];
    const db = app.database.kysely;
    const capture: KyselyPlugin = {
      transformQuery(args) {
        statements.push(db.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const filter = { q: 'government', theme: 'citizen-engagement' };
    const first = await listCases(db.withPlugin(capture), filter, 'relevance', { limit: 1 });
    expect(typeof first.rows[0]!.rank).toBe('number');
    const rest = await listCases(db.withPlugin(capture), filter, 'relevance', {
      afterId: first.rows[0]!.id,
      rank: first.rows[0]!.rank,
      limit: 100,
    });
    expect([...first.rows, ...rest.rows].map((c) => c.slug)).toEqual(seen);
    for (const statement of statements) expect(statement).not.toMatch(/\boffset\b/i);
  });

  it('filters by country, theme, year and stage', async () => {
    const fr = await list('?country=FR');
    expect(fr.items.length).toBeGreaterThan(0);
    expect(fr.items.every((c) => c.countries.includes('FR'))).toBe(true);
    expect(fr.total).toBe(fr.items.length);

    const theme = fr.items[0]!.themes[0]!;
    const byTheme = await list(`?theme=${theme}`);
    expect(byTheme.items.every((c) => c.themes.includes(theme))).toBe(true);

    const year = byTheme.items[0]!.year;
    const combined = await list(`?theme=${theme}&year=${year}`);
    expect(combined.items.length).toBeGreaterThan(0);
    expect(combined.items.every((c) => c.year === year && c.themes.includes(theme))).toBe(true);

    const stage = combined.items[0]!.stage;
    const byStage = await list(`?stage=${stage}`);
    expect(byStage.items.every((c) => c.stage === stage)).toBe(true);

    expect((await list('?country=AQ')).items).toEqual([]);
  });

  it('searches the full text with web-search syntax, best match first', async () => {
    const procurement = await list('?q=procurement');
    expect(procurement.items.map((c) => c.slug)).toContain('ukraine-procurement-risk-monitoring');
    const quoted = await list(`?q=${encodeURIComponent('"citizen contributions"')}`);
    expect(quoted.items.length).toBeGreaterThan(0);
    const excluded = await list(`?q=${encodeURIComponent('citizens -Europe')}`);
    expect(excluded.items.every((c) => !/europe/i.test(`${c.title} ${c.summary}`))).toBe(true);
    const nothing = await list('?q=zzzxqqqnotaword');
    expect(nothing).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['?country=france', 'country'],
      ['?year=abc', 'year'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?theme=Not%20A%20Slug', 'theme'],
      ['?stage=finished', 'stage'],
      ['?cursor=garbage', 'cursor'],
      ['?sort=random', 'sort'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases${query}` });
      expect(res.statusCode, query).toBe(400);
      const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.field)).toContain(field);
    }
  });

  it('never answers a 5xx to hostile search strings', async () => {
    const nasty = [
      "'; drop table cases; --",
      '!!!&&&|||',
      '<script>alert(1)</script>',
      '\u0000',
      '((((((',
      ':*',
      '"unterminated',
      '-',
      'Ω≈ç√∫˜µ≤≥÷',
      '𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐',
      '%00%ff',
      'x'.repeat(200),
    ];
    for (const q of nasty) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBeLessThan(500);
    }
    const tooLong = await app.inject({ method: 'GET', url: `/api/v1/cases?q=${'x'.repeat(201)}` });
    expect(tooLong.statusCode).toBe(400);
  });
});

describe('GET /api/v1/cases/facets', () => {
  it('counts each facet ignoring its own filter', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/cases/facets?country=FR' });
    expect(res.statusCode).toBe(200);
    const facets = res.json<CaseFacets>();
    const fr = await list('?country=FR');
    // Countries ignore the country filter: France is there with its full count, and others too.
    expect(facets.countries.find((c) => c.code === 'FR')?.count).toBe(fr.total);
    expect(facets.countries.length).toBeGreaterThan(1);
    // Years are counted within France.
    const yearTotal = facets.years.reduce((n, y) => n + y.count, 0);
    expect(yearTotal).toBe(fr.total);
  });
});

describe('GET /api/v1/cases/:slug', () => {
  it('returns the case with body, source and follower count', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/cases/my-france-2022' });
    expect(res.statusCode).toBe(200);
    const c = res.json<CaseDetail>();
    expect(c.title).toContain('MyFrance2022');
    expect(c.body.length).toBeGreaterThan(c.summary.length / 2);
    expect(c.sourceUrl).toMatch(/^https:\/\//);
    expect(c.followerCount).toBe(0);
    expect(c.countries).toEqual(['FR']);
  });

  it('answers 404 in the error shape for an unknown case, 400 for a malformed slug', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/cases/no-such-case' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/cases/NOT_A_SLUG' });
    expect(malformed.statusCode).toBe(400);
  });
});
