import { describe, expect, it } from 'vitest';
import type { ResolvedPathname } from '$app/types';
import { safeRedirect, withRedirect } from './redirect.ts';

describe('safeRedirect', () => {
  it('keeps paths on this site', () => {
    expect(safeRedirect('/cases/my-france-2022')).toBe('/cases/my-france-2022');
    expect(safeRedirect('/fr/people?country=FR')).toBe('/fr/people?country=FR');
  });

  it('refuses other sites and odd values', () => {
    for (const value of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'cases',
      'javascript:alert(1)',
      '/a\nb',
    ]) {
      expect(safeRedirect(value)).toBeNull();
    }
  });

  it('refuses the account pages themselves', () => {
    expect(safeRedirect('/login')).toBeNull();
    expect(safeRedirect('/fr/signup?x=1')).toBeNull();
    expect(safeRedirect('/reset/abc')).toBeNull();
  });
});

describe('withRedirect', () => {
  it('adds the return path, except for home', () => {
    expect(withRedirect('/login' as ResolvedPathname, '/cases?country=FR')).toBe(
      '/login?redirectTo=%2Fcases%3Fcountry%3DFR',
    );
    expect(withRedirect('/login' as ResolvedPathname, '/')).toBe('/login');
    expect(withRedirect('/fr/login' as ResolvedPathname, '/login')).toBe('/fr/login');
  });
});
