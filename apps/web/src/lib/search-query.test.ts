import { describe, expect, it } from 'vitest';
import {
  cleanQuery,
  hitKey,
  parseSearch,
  postPath,
  searchParams,
  searchPath,
  suggestionsFor,
  totalFor,
} from './search-query.ts';

const parse = (search: string) => parseSearch(new URLSearchParams(search));

describe('parseSearch', () => {
  it('keeps the query and the kind of result, normalising spaces', () => {
    expect(parse('q=%20%20open%20%20%20data%20&type=posts')).toEqual({ q: 'open data', type: 'posts' });
    expect(parse('q=procurement&type=cases')).toEqual({ q: 'procurement', type: 'cases' });
  });

  it('falls back to everything for a missing or unknown type', () => {
    expect(parse('q=x')).toEqual({ q: 'x', type: 'all' });
    expect(parse('q=x&type=people')).toEqual({ q: 'x', type: 'all' });
    expect(parse('')).toEqual({ q: '', type: 'all' });
  });

  it('removes control characters and cuts the query at 200 characters', () => {
    expect(cleanQuery('a\u0000b\tc\nd\u007f')).toBe('a b c d');
    expect(cleanQuery('\u0001\u0002 ')).toBe('');
    expect(cleanQuery(null)).toBe('');
    expect(parse(`q=${'x'.repeat(300)}`).q).toHaveLength(200);
    // No trailing space left by the cut.
    expect(cleanQuery(`${'x'.repeat(199)} y`)).toHaveLength(199);
  });
});

describe('search addresses', () => {
  it('leaves out defaults and keeps a stable order', () => {
    expect(searchPath()).toBe('/search');
    expect(searchPath({ q: 'open data' })).toBe('/search?q=open+data');
    expect(searchPath({ q: 'x', type: 'posts' }, 'abc')).toBe('/search?q=x&type=posts&cursor=abc');
    expect(searchPath({ type: 'cases' })).toBe('/search?type=cases');
    expect(searchParams({ q: '"digital id" -blockchain', type: 'all' }).toString()).toBe(
      'q=%22digital+id%22+-blockchain',
    );
  });

  it('round-trips through parseSearch', () => {
    const search = { q: 'digital OR identity', type: 'cases' } as const;
    expect(parseSearch(searchParams(search))).toEqual(search);
  });

  it('links a post hit to its place in the thread', () => {
    expect(postPath({ caseSlug: 'my-france-2022', id: '42' })).toBe('/cases/my-france-2022?post=42#post-42');
  });
});

describe('totalFor', () => {
  it('counts the results of each tab', () => {
    const total = { cases: 3, posts: 7 };
    expect(totalFor(total, 'all')).toBe(10);
    expect(totalFor(total, 'cases')).toBe(3);
    expect(totalFor(total, 'posts')).toBe(7);
  });
});

describe('suggestionsFor', () => {
  it('drops quotes, exclusions and OR, then offers the words alone, longest first', () => {
    expect(suggestionsFor('"digital identity" -blockchain')).toEqual(['digital identity', 'identity', 'digital']);
    expect(suggestionsFor('health OR care')).toEqual(['health care', 'health', 'care']);
  });

  it('never suggests the query itself, nor single letters or repeats', () => {
    expect(suggestionsFor('procurement')).toEqual([]);
    expect(suggestionsFor('a b')).toEqual([]);
    expect(suggestionsFor('open open data', 5)).toEqual(['open', 'data']);
    expect(suggestionsFor('Procurement', 5)).toEqual([]);
    expect(suggestionsFor('health -care')).toEqual(['health']);
  });

  it('keeps at most `limit` suggestions', () => {
    expect(suggestionsFor('one two three four five', 2)).toEqual(['three', 'four']);
  });
});

describe('hitKey', () => {
  const caseHit = (slug: string) => ({ type: 'case' as const, case: { slug } });
  const postHit = (id: string) => ({ type: 'post' as const, post: { id } });

  it('keys cases and posts apart', () => {
    expect(hitKey(caseHit('42'))).not.toBe(hitKey(postHit('42')));
  });
});
