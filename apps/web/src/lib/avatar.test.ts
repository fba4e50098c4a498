import { describe, expect, it } from 'vitest';
import { AVATAR_TONES, initialsOf, toneOf } from './avatar.ts';

describe('initialsOf', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initialsOf('Inès Marchetti', 'ines-marchetti')).toBe('IM');
    expect(initialsOf('Kwame Asante-Boateng', 'kwame')).toBe('KB');
    expect(initialsOf('aroha', 'aroha-tipene')).toBe('A');
  });

  it('falls back to the handle when the name has no letters', () => {
    expect(initialsOf('  ', 'jo-smith')).toBe('JO');
    expect(initialsOf('***', 'xy')).toBe('XY');
  });
});

describe('toneOf', () => {
  it('is stable and in range', () => {
    expect(toneOf('ines-marchetti')).toBe(toneOf('ines-marchetti'));
    for (const handle of ['a', 'ab', 'jo-smith', 'ines-marchetti', 'zz-top-40']) {
      const tone = toneOf(handle);
      expect(tone).toBeGreaterThanOrEqual(1);
      expect(tone).toBeLessThanOrEqual(AVATAR_TONES);
    }
  });
});
