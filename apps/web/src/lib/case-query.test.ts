import { describe, expect, it } from 'vitest';
import { activeFilterCount, casesPath, filterParams, parseCursor, parseFilters } from './case-query.ts';

const parse = (search: string) => parseFilters(new URLSearchParams(search));

describe('parseFilters', () => {
  it('keeps valid values and normalises them', () => {
    expect(parse('q=  open   data &country=fr&theme=Digital-Government&year=2022&stage=pilot&sort=newest')).toEqual({
      q: 'open data',
      country: 'FR',
      theme: 'digital-government',
      year: 2022,
      stage: 'pilot',
      sort: 'newest',
    });
  });

  it('drops values the API would reject instead of failing', () => {
    expect(parse('country=FRA&theme=a&year=20x2&stage=done&sort=random')).toEqual({
      q: '',
      country: null,
      theme: null,
      year: null,
      stage: null,
      sort: null,
    });
    expect(parse('year=1800').year).toBeNull();
    expect(parse(`q=${'x'.repeat(300)}`).q).toHaveLength(200);
  });

  it('treats the default order as no order, and relevance only with a search', () => {
    expect(parse('sort=activity').sort).toBeNull();
    expect(parse('sort=relevance').sort).toBeNull();
    expect(parse('q=health&sort=relevance').sort).toBeNull();
    expect(parse('q=health&sort=activity').sort).toBe('activity');
  });
});

describe('building addresses', () => {
  it('leaves out empty filters and defaults', () => {
    expect(casesPath()).toBe('/cases');
    expect(casesPath({ theme: 'justice' })).toBe('/cases?theme=justice');
    expect(casesPath(parse('q=x&sort=newest&stage=idea'), 'abc')).toBe('/cases?q=x&stage=idea&sort=newest&cursor=abc');
  });

  it('round-trips through the URL', () => {
    const filters = parse('country=BR&year=2019&sort=newest');
    expect(parseFilters(filterParams(filters))).toEqual(filters);
  });

  it('accepts only plausible cursors', () => {
    expect(parseCursor(new URLSearchParams('cursor=eyJ9'))).toBe('eyJ9');
    expect(parseCursor(new URLSearchParams(`cursor=${'a'.repeat(201)}`))).toBeNull();
  });

  it('counts active filters, not the order', () => {
    expect(activeFilterCount(parse('q=x&country=FR&sort=newest'))).toBe(2);
  });
});
