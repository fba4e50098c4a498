import { describe, expect, it } from 'vitest';
import { langFor, languageName } from './content-language.ts';

describe('langFor', () => {
  it('marks content in another language than the page, and only that', () => {
    expect(langFor('en', 'fr')).toBe('en');
    expect(langFor('fr', 'en')).toBe('fr');
    expect(langFor('pt-BR', 'en')).toBe('pt-BR');
    expect(langFor('fr', 'fr')).toBeUndefined();
    expect(langFor('fr-CA', 'fr')).toBeUndefined();
    expect(langFor('en', 'en-GB')).toBeUndefined();
    expect(langFor(undefined, 'fr')).toBeUndefined();
  });
});

describe('languageName', () => {
  it('names the language in the page’s language', () => {
    expect(languageName('en', 'fr')).toBe('anglais');
    expect(languageName('fr', 'en')).toBe('French');
    expect(languageName('x-bad-', 'en')).toBe('x-bad-');
  });
});
