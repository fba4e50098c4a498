/** The facet counts come from one statement, and each facet still ignores its own filter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import type { CaseList } from '@opsi/contracts/cases';
import { createTestApp } from '../../testing.ts';
import { createCasesService } from './service.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

/**
 * The cases service on a connection that counts the statements it sends: one result comes back
 * per statement (a subquery built apart and embedded in a statement is transformed, not sent).
 */
function countingCases() {
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      queries += 1;
      return args.result;
    },
  };
  const service = createCasesService({ ...app.database, kysely: app.database.kysely.withPlugin(counter) });
  return {
    service,
    async count<T>(run: () => Promise<T>): Promise<{ result: T; queries: number }> {
      queries = 0;
      const result = await run();
      return { result, queries };
    },
  };
}

async function total(query: string): Promise<number> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseList>().total;
}

describe('case facets', () => {
  it('are counted in one query, with a search and every filter too', async () => {
    const { service, count } = countingCases();
    expect((await count(() => service.facets({}))).queries).toBe(1);
    const filtered = await count(() =>
      service.facets({ q: 'citizens', country: 'FR', theme: 'citizen-engagement', year: 2022, stage: 'pilot' }),
    );
    expect(filtered.queries).toBe(1);
  });

  it('count each facet ignoring its own filter and applying the others', async () => {
    const { service } = countingCases();
    const facets = await service.facets({ country: 'FR', theme: 'citizen-engagement' });
    // Countries ignore the country filter, within the theme.
    expect(facets.countries.length).toBeGreaterThan(0);
    for (const { code, count } of facets.countries.slice(0, 3)) {
      expect(count).toBe(await total(`theme=citizen-engagement&country=${code}`));
    }
    // Themes ignore the theme filter, within France.
    for (const { slug, count } of facets.themes.slice(0, 3)) {
      expect(count).toBe(await total(`country=FR&theme=${slug}`));
    }
    // Years and stages apply both filters.
    const both = await total('country=FR&theme=citizen-engagement');
    expect(facets.years.reduce((n, y) => n + y.count, 0)).toBe(both);
    expect(facets.stages.reduce((n, s) => n + s.count, 0)).toBe(both);
    // Ordered: most cases first (then by key), years newest first.
    const counts = facets.countries.map((c) => c.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const years = facets.years.map((y) => y.year);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });
});
