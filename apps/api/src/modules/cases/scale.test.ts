/**
 * The case list at the observatory's scale (1,100 cases on top of the demo ones): every order pages
 * through each case exactly once with its cursor, the facets still come from one statement and add
 * up, and French words find the French cases among them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { CaseFacets, CaseList, CaseSummary } from '@opsi/contracts/cases';
import { createTestApp } from '../../testing.ts';

const MANY = 1100;
let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
  // One statement: every tenth case is French, post counts and activity spread so orders tie too.
  await sql`insert into cases (slug, title, summary, body, year, organisation, level_of_government, stage,
      countries, themes, language, post_count, created_at, updated_at, last_activity_at)
    select 'scale-' || g,
      case when g % 10 = 0 then 'Budget participatif numéro ' || g else 'Open data portal number ' || g end,
      case when g % 10 = 0 then 'Les habitants votent les projets de la commune.' else 'Residents read the data of the town.' end,
      '', 2000 + g % 25, 'Scale organisation', 'local',
      (array['idea','pilot','implementation','evaluation','diffusion'])[1 + g % 5],
      array[(array['FR','BR','KR','CA','IT','PT'])[1 + g % 6]], array['digital-government'],
      case when g % 10 = 0 then 'fr' else 'en' end, g % 7,
      now() - g * interval '1 hour', now(), now() - (g % 50) * interval '1 day'
    from generate_series(1, ${MANY}) g`.execute(app.database.kysely);
});
afterAll(async () => {
  await app.close();
});

async function get<T>(url: string): Promise<T> {
  const res = await app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

async function everyPage(query: string): Promise<{ items: CaseSummary[]; pages: number; total: number }> {
  const items: CaseSummary[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total = 0;
  do {
    const page: CaseList = await get<CaseList>(
      `/api/v1/cases?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (pages === 0) total = page.total;
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { items, pages, total };
}

describe(`the case list with ${MANY}+ cases`, () => {
  it('pages through every case exactly once in each order, most discussed first', async () => {
    for (const sort of ['discussed', 'activity', 'newest']) {
      const { items, pages, total } = await everyPage(`sort=${sort}`);
      expect(total).toBeGreaterThan(MANY);
      expect(items).toHaveLength(total);
      expect(new Set(items.map((c) => c.slug)).size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 100));
      if (sort === 'discussed') {
        const counts = items.map((c) => c.postCount);
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
      }
    }
  });

  it('counts the facets adding up to the matching cases', async () => {
    const facets = await get<CaseFacets>('/api/v1/cases/facets?theme=digital-government');
    const { total } = await get<CaseList>('/api/v1/cases?theme=digital-government&limit=1');
    expect(facets.stages.reduce((n, s) => n + s.count, 0)).toBe(total);
    expect(facets.years.reduce((n, y) => n + y.count, 0)).toBe(total);
    expect(facets.countries.find((c) => c.code === 'BR')?.count).toBeGreaterThanOrEqual(MANY / 6 - 1);
  });

  it('finds the French cases by French words, by relevance across pages', async () => {
    const { items, total } = await everyPage(`q=${encodeURIComponent('budgets participatifs')}`);
    const scale = items.filter((c) => c.slug.startsWith('scale-'));
    expect(scale).toHaveLength(MANY / 10);
    expect(scale.every((c) => c.language === 'fr')).toBe(true);
    expect(new Set(items.map((c) => c.slug)).size).toBe(total);
  });
});
