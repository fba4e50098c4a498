import { describe, expect, it } from 'vitest';
import { scanSize, showcase } from './showcase.ts';

const c = (slug: string, postCount = 0) => ({ slug, postCount });

describe('showcase', () => {
  it('fills each section with cases not shown by an earlier one, up to the size', () => {
    const active = [c('a', 3), c('b', 1), c('c')];
    const discussed = [c('a', 3), c('d', 2), c('b', 1), c('e', 1), c('f', 1)];
    const newest = [c('c'), c('g'), c('d', 2), c('h'), c('i')];
    const [first, second, third] = showcase(
      [{ items: active }, { items: discussed, discussed: true }, { items: newest }],
      2,
    );
    expect(first!.map((x) => x.slug)).toEqual(['a', 'b']);
    expect(second!.map((x) => x.slug)).toEqual(['d', 'e']);
    expect(third!.map((x) => x.slug)).toEqual(['c', 'g']);
  });

  it('leaves cases without posts out of "most discussed", and a section empty when nothing is left', () => {
    const [discussed, rest] = showcase([{ items: [c('a'), c('b')], discussed: true }, { items: [] }], 3);
    expect(discussed).toEqual([]);
    expect(rest).toEqual([]);
  });

  it('reads enough of each order to fill the later sections', () => {
    expect(scanSize(3, 3)).toBe(9);
  });
});
