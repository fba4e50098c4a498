import { describe, expect, it } from 'vitest';
import { activePeopleFilterCount, parsePeopleFilters, peoplePath } from './people-query.ts';

const parse = (search: string) => parsePeopleFilters(new URLSearchParams(search));

describe('parsePeopleFilters', () => {
  it('keeps valid values and normalises them', () => {
    expect(parse('q=  service   design &country=fr&theme=Digital-Government')).toEqual({
      q: 'service design',
      country: 'FR',
      theme: 'digital-government',
    });
  });

  it('drops values the API would reject', () => {
    expect(parse('country=FRA&theme=a')).toEqual({ q: '', country: null, theme: null });
  });
});

describe('peoplePath', () => {
  it('writes only what is set, in a stable order', () => {
    expect(peoplePath()).toBe('/people');
    expect(peoplePath({ theme: 'open-data', country: 'FR' })).toBe('/people?country=FR&theme=open-data');
    expect(peoplePath({ q: 'a b' }, 'abc')).toBe('/people?q=a+b&cursor=abc');
  });

  it('counts the filters in use', () => {
    expect(activePeopleFilterCount(parse('q=x&country=FR'))).toBe(2);
  });
});
