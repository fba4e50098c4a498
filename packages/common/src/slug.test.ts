import { describe, expect, it } from 'vitest';
import { SLUG_MAX, slugify } from './slug.ts';

describe('slugify', () => {
  it.each([
    ['Pol.is in Canada — été 2022', 'pol-is-in-canada-ete-2022'],
    ['#MyFrance2022', 'myfrance2022'],
    ['Atelier d’été 2027', 'atelier-d-ete-2027'],
    ['Ünïcödé ständard', 'unicode-standard'],
    ['  --Ana   Lúcia--  ', 'ana-lucia'],
    ['Ｆｕｌｌ　ｗｉｄｔｈ', 'full-width'],
    ['日本語', ''],
    ['!', ''],
    ['a', 'a'],
  ])('%s → %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('cuts at 40 characters, never ending on a hyphen', () => {
    expect(slugify('a'.repeat(80))).toHaveLength(SLUG_MAX);
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
    expect(slugify(`${'word '.repeat(20)}`)).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
  });

  it('drops every combining mark, not only the Latin ones', () => {
    expect(slugify('Ha\u0483ppy')).toBe('happy');
    expect(slugify('cafe\u0301')).toBe('cafe');
  });
});
