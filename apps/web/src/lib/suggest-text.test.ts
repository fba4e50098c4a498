import { describe, expect, it } from 'vitest';
import { insertChoice, typingAt } from './suggest-text.ts';

describe('typingAt', () => {
  it('finds @ or # and at least two characters before the caret', () => {
    expect(typingAt('Hello @an', 9)).toEqual({ trigger: '@', start: 6, query: 'an' });
    expect(typingAt('@ana', 4)).toEqual({ trigger: '@', start: 0, query: 'ana' });
    expect(typingAt('See (#open-bud', 14)).toEqual({ trigger: '#', start: 5, query: 'open-bud' });
    expect(typingAt('Merci @Élo', 10)).toEqual({ trigger: '@', start: 6, query: 'Élo' });
    // The caret in the middle of a word: what is before it.
    expect(typingAt('@anabel rest', 4)).toEqual({ trigger: '@', start: 0, query: 'ana' });
  });

  it('opens nothing for one character, a space, an address, a word or an entity', () => {
    expect(typingAt('Hello @a', 8)).toBeNull();
    expect(typingAt('Hello @an ', 10)).toBeNull();
    expect(typingAt('mail ana@example', 16)).toBeNull();
    expect(typingAt('https://x.example/#part', 23)).toBeNull();
    expect(typingAt('word#tag', 8)).toBeNull();
    expect(typingAt('&#35ab', 6)).toBeNull();
    expect(typingAt('no trigger', 10)).toBeNull();
    expect(typingAt(`@${'a'.repeat(41)}`, 42)).toBeNull();
  });
});

describe('insertChoice', () => {
  it('replaces what was typed with the handle or slug and a space, caret after it', () => {
    const text = 'Hello @an';
    expect(insertChoice(text, typingAt(text, 9)!, 9, 'ana-b')).toEqual({ text: 'Hello @ana-b ', caret: 13 });
    const middle = 'See #op and more';
    expect(insertChoice(middle, typingAt(middle, 7)!, 7, 'open-budget')).toEqual({
      text: 'See #open-budget and more',
      caret: 17,
    });
  });
});
