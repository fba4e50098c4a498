import { afterEach, describe, expect, it } from 'vitest';
import { ProblemCodes } from '@opsi/contracts/common';
import { baseLocale, overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { problemText } from './problem-text.ts';

const PARAMS = { min: 12, max: 80, going: 7, value: 'zz-top' };

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('problemText', () => {
  it('words every code of the contracts in English and in French, with its params', () => {
    const english = new Map<string, string>();
    overwriteGetLocale(() => 'en');
    for (const code of ProblemCodes) {
      const text = problemText({ code, params: PARAMS });
      expect(text, code).toBeTruthy();
      expect(text, code).not.toMatch(/\{\w+\}/);
      english.set(code, text!);
    }
    overwriteGetLocale(() => 'fr');
    for (const code of ProblemCodes) {
      const text = problemText({ code, params: PARAMS });
      expect(text, code).toBeTruthy();
      expect(text, code).not.toBe(english.get(code));
    }
  });

  it('fills the params in', () => {
    overwriteGetLocale(() => 'fr');
    expect(problemText({ code: 'too_long', params: { max: 140 } })).toBe('Raccourcissez à 140 caractères au plus');
    expect(problemText({ code: 'unknown_theme', params: { value: 'astrologie' } })).toBe(
      '« astrologie » n’est pas un thème de la liste',
    );
    expect(problemText({ code: 'capacity_below_going', params: { going: 3 } })).toContain('3 personnes');
  });

  it('says nothing for a code the contracts do not list, so the form falls back to its own words', () => {
    expect(problemText({ code: 'no_such_code' })).toBeUndefined();
    expect(problemText({})).toBeUndefined();
  });
});
