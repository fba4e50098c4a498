import { describe, expect, it } from 'vitest';
import { diffFields, diffWords, MAX_CELLS, tokens } from './text-diff.ts';

/** The parts back as one string, with [-removed-] and {+added+}. */
function marked(before: string, after: string): string {
  return diffWords(before, after)
    .map((p) => (p.op === 'same' ? p.text : p.op === 'removed' ? `[-${p.text}-]` : `{+${p.text}+}`))
    .join('');
}

describe('tokens', () => {
  it('keeps words, white space and punctuation apart, and loses nothing', () => {
    expect(tokens("L'été, à Paris\n\n2022!")).toEqual(["L'été", ',', ' ', 'à', ' ', 'Paris', '\n\n', '2022', '!']);
    const text = 'Any text — with “quotes”, tabs\tand\nlines.';
    expect(tokens(text).join('')).toBe(text);
  });
});

describe('diffWords', () => {
  it('marks the words removed and added, keeping the rest', () => {
    expect(marked('The quick brown fox', 'The slow brown fox')).toBe('The [-quick-]{+slow+} brown fox');
    expect(marked('one two three', 'one two three four')).toBe('one two three{+ four+}');
    expect(marked('one two three', 'two three')).toBe('[-one -]two three');
  });

  it('reads changes separated only by white space as one change', () => {
    expect(marked('Residents decide how part is spent', 'Citizens choose how part is spent')).toBe(
      '[-Residents decide-]{+Citizens choose+} how part is spent',
    );
  });

  it('answers one same part for equal texts, and all added from nothing', () => {
    expect(diffWords('same text', 'same text')).toEqual([{ op: 'same', text: 'same text' }]);
    expect(diffWords('', 'new words')).toEqual([{ op: 'added', text: 'new words' }]);
    expect(diffWords('old words', '')).toEqual([{ op: 'removed', text: 'old words' }]);
  });

  it('rebuilds both texts from its parts, line breaks included', () => {
    const before = 'First paragraph.\n\nSecond one, with a list:\n- a\n- b';
    const after = 'First paragraph, edited.\n\nSecond one:\n- a\n- c\n- b';
    const parts = diffWords(before, after);
    expect(
      parts
        .filter((p) => p.op !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter((p) => p.op !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
  });

  it('shows a middle too long to align as removed then added', () => {
    const words = (prefix: string) => Array.from({ length: 2100 }, (_, i) => `${prefix}${i}`).join(' ');
    expect(tokens(words('a')).length ** 2).toBeGreaterThan(MAX_CELLS);
    const parts = diffWords(`start ${words('a')} end`, `start ${words('b')} end`);
    expect(parts.map((p) => p.op)).toEqual(['same', 'removed', 'added', 'same']);
  });
});

describe('diffFields', () => {
  it('lists only what changed, each the way it reads best', () => {
    const before = { title: 'Open budgets', countries: ['FR', 'BE'], year: 2020, sourceUrl: null, body: 'a b' };
    const after = {
      title: 'Open budgets',
      countries: ['FR', 'DE'],
      year: 2021,
      sourceUrl: 'https://x.org',
      body: 'a c',
    };
    expect(
      diffFields(
        before,
        after,
        ['title', 'body', 'countries', 'year', 'sourceUrl'],
        new Set(['title', 'body'] as const),
      ),
    ).toEqual([
      {
        field: 'body',
        kind: 'text',
        parts: [
          { op: 'same', text: 'a ' },
          { op: 'removed', text: 'b' },
          { op: 'added', text: 'c' },
        ],
      },
      { field: 'countries', kind: 'list', added: ['DE'], removed: ['BE'] },
      { field: 'year', kind: 'value', before: 2020, after: 2021 },
      { field: 'sourceUrl', kind: 'value', before: null, after: 'https://x.org' },
    ]);
  });
});
