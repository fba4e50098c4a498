import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('detectLanguage', () => {
  it('reads English as en and French as fr', () => {
    expect(detectLanguage('We tried this in our city and the results were better than we expected.')).toBe('en');
    expect(
      detectLanguage('Nous avons essayé cette approche dans notre ville et les résultats sont encourageants.'),
    ).toBe('fr');
    expect(
      detectLanguage("L'équipe a publié le budget participatif de la commune, avec les votes des habitants."),
    ).toBe('fr');
  });

  it('reads French whatever the fallback, and English too', () => {
    expect(detectLanguage('Merci pour ce retour, je partage le rapport avec mes collègues.', 'en')).toBe('fr');
    expect(detectLanguage('Thanks for sharing this, I will pass the report to my colleagues.', 'fr')).toBe('en');
  });

  it('gives the fallback when the text is too short or too mixed to tell', () => {
    expect(detectLanguage('+1', 'fr')).toBe('fr');
    expect(detectLanguage('Bravo !', 'en')).toBe('en');
    expect(detectLanguage('https://example.org/le-rapport @camille', 'en')).toBe('en');
    expect(detectLanguage('the le', 'fr')).toBe('fr');
    expect(detectLanguage('')).toBe('en');
  });

  it('does not count markdown, links or mentions as words', () => {
    expect(detectLanguage('**Le** rapport est [ici](https://example.org/the-report-of-the-city) pour @the-team.')).toBe(
      'fr',
    );
  });
});
