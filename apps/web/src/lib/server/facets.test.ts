import { describe, expect, it } from 'vitest';
import { facetsByCount } from './reference.ts';

describe('facetsByCount', () => {
  const facets = {
    countries: [
      { code: 'FR', count: 2 },
      { code: 'CI', count: 5 },
      { code: 'AT', count: 2 },
      { code: 'EC', count: 2 },
    ],
    themes: [
      { slug: 'open-data', count: 1 },
      { slug: 'digital', count: 3 },
    ],
    years: [{ year: 2024, count: 1 }],
    stages: [],
  };
  const names = {
    countries: { FR: 'France', CI: 'Côte d’Ivoire', AT: 'Autriche', EC: 'Équateur' },
    themes: { 'open-data': 'Données ouvertes', digital: 'Numérique' },
  };

  it('lists the most frequent first, then by name in the page language, as the filters did', () => {
    const sorted = facetsByCount(facets, names, 'fr');
    expect(sorted.countries.map((c) => c.code)).toEqual(['CI', 'AT', 'EC', 'FR']);
    expect(sorted.themes.map((t) => t.slug)).toEqual(['digital', 'open-data']);
    expect(sorted.years).toBe(facets.years);
    // The input is not reordered in place.
    expect(facets.countries[0]!.code).toBe('FR');
  });

  it('sorts an unnamed value by its code', () => {
    const sorted = facetsByCount(
      {
        ...facets,
        countries: [
          { code: 'ZZ', count: 1 },
          { code: 'FR', count: 1 },
        ],
      },
      names,
      'en',
    );
    expect(sorted.countries.map((c) => c.code)).toEqual(['FR', 'ZZ']);
  });
});
