import { describe, expect, it } from 'vitest';
import type { ResolvedPathname } from '$app/types';
import { backHere, canonicalPath, safeRedirect, withRedirect } from './redirect.ts';

describe('safeRedirect', () => {
  it('keeps paths on this site', () => {
    expect(safeRedirect('/cases/my-france-2022')).toBe('/cases/my-france-2022');
    expect(safeRedirect('/fr/people?country=FR')).toBe('/fr/people?country=FR');
    expect(safeRedirect('/cases/x#discussion')).toBe('/cases/x#discussion');
    // The query may hold anything: only the path decides where the browser goes.
    expect(safeRedirect('/search?q=https://evil.example')).toBe('/search?q=https://evil.example');
  });

  it('normalises the path before answering', () => {
    for (const [value, expected] of [
      ['/cases/./x', '/cases/x'],
      ['/cases/a/../x', '/cases/x'],
      ['/cases//x', '/cases/x'],
      ['/cases///x//', '/cases/x/'],
      ['/fr/../cases', '/cases'],
      ['/cases/%2e%2e/people', '/people'],
    ] as const) {
      expect(safeRedirect(value), value).toBe(expected);
    }
  });

  it('refuses other sites and odd values, however they are spelled', () => {
    for (const value of [
      null,
      undefined,
      '',
      'https://evil.example',
      'http:/evil.example',
      'javascript:alert(1)',
      'data:text/html,x',
      ' /cases',
      'cases',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\/evil.example',
      '/\\/evil.example',
      '/a\nb',
      '/\t/evil.example',
      '/.//evil.example',
      '/./\\evil.example',
      '/..//evil.example',
      '/a/..//evil.example',
      '/en/..//evil.example',
      '/%2e%2e//evil.example',
      '/%2F%2Fevil.example',
      '/%2f%2fevil.example',
      '/%2F/evil.example',
      '/%5Cevil.example',
      '/%5cevil.example',
      '/x/..%2F%2Fevil.example',
      '/%09/evil.example',
      '/a%00b',
      '/%E0%A4%A',
      `/${'a'.repeat(1001)}`,
    ]) {
      expect(safeRedirect(value), JSON.stringify(value)).toBeNull();
    }
  });

  it('refuses the account pages themselves, also when spelled oddly', () => {
    expect(safeRedirect('/login')).toBeNull();
    expect(safeRedirect('/fr/signup?x=1')).toBeNull();
    expect(safeRedirect('/reset/abc')).toBeNull();
    expect(safeRedirect('/./login')).toBeNull();
    expect(safeRedirect('/cases/../logout')).toBeNull();
    expect(safeRedirect('//login')).toBeNull();
  });
});

describe('canonicalPath', () => {
  it('leaves ordinary paths alone', () => {
    for (const path of ['/', '/cases', '/fr', '/fr/cases/x', '/cases/', '/english']) {
      expect(canonicalPath(path), path).toBeNull();
    }
  });

  it('gives the one same-site address of an odd path', () => {
    for (const [path, expected] of [
      ['/en', '/'],
      ['/en/', '/'],
      ['/en/cases', '/cases'],
      ['/en//evil.example', '/evil.example'],
      ['//evil.example', '/evil.example'],
      ['///evil.example', '/evil.example'],
      ['/fr//x', '/fr/x'],
      ['/en/en/x', '/en/x'],
      ['/cases//my-france-2022', '/cases/my-france-2022'],
      ['/en//', '/'],
    ] as const) {
      expect(canonicalPath(path), path).toBe(expected);
    }
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

  it('never carries a return path to another site', () => {
    expect(withRedirect('/login' as ResolvedPathname, '/.//evil.example')).toBe('/login');
  });
});

describe('backHere', () => {
  it('is this page without the form action, with the intent to finish', () => {
    const url = new URL('http://site.test/fr/cases/x-y?/follow&post=12');
    expect(backHere(url)).toBe('/fr/cases/x-y?post=12');
    expect(backHere(url, { follow: 'case:x-y' })).toBe('/fr/cases/x-y?post=12&follow=case%3Ax-y');
    expect(backHere(new URL('http://site.test/events/e?follow=event:old&/follow'), { follow: 'event:e' })).toBe(
      '/events/e?follow=event%3Ae',
    );
    expect(backHere(new URL('http://site.test/people/ana?/follow'))).toBe('/people/ana');
    // What it gives is a path safeRedirect keeps.
    expect(safeRedirect(backHere(url, { follow: 'case:x-y' }))).toBe('/fr/cases/x-y?post=12&follow=case%3Ax-y');
  });
});
