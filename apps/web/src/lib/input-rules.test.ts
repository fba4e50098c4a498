import { describe, expect, it } from 'vitest';
import { NewEvent } from '@opsi/contracts/events';
import { EVENT_LIMITS } from './event-form.ts';
import {
  COUNTRY,
  EMAIL,
  HANDLE,
  isWebLink,
  limitOf,
  normaliseLink,
  patternOf,
  PROFILE_LIMITS,
  SLUG,
} from './input-rules.ts';

describe('limitOf and patternOf', () => {
  it('read a keyword from a schema, an optional one, or the member of a union with null that has it', () => {
    expect(limitOf({ type: 'string', maxLength: 7 }, 'maxLength')).toBe(7);
    expect(limitOf({ anyOf: [{ type: 'integer', maximum: 9 }, { type: 'null' }] }, 'maximum')).toBe(9);
    expect(patternOf({ type: 'string', pattern: '^a+$' }).test('aaa')).toBe(true);
  });

  it('fail at once when a schema does not declare the keyword (a rule lost is not a rule guessed)', () => {
    expect(() => limitOf({ type: 'string' }, 'maxLength')).toThrow('The schema declares no maxLength');
    expect(() => limitOf({ anyOf: [{ type: 'null' }] }, 'maximum')).toThrow();
    expect(() => patternOf({ type: 'string' })).toThrow('The schema declares no pattern');
  });

  it('give the event form the limits the API validates with', () => {
    expect(EVENT_LIMITS).toEqual({
      title: 200,
      description: 20_000,
      venue: 200,
      address: 500,
      onlineUrl: 500,
      capacity: 100_000,
      countries: 20,
      themes: 10,
      cases: 20,
      coOrganisers: 20,
    });
    expect(EVENT_LIMITS.capacity).toBe(limitOf(NewEvent.properties.capacity, 'maximum'));
    expect(PROFILE_LIMITS).toEqual({
      displayName: 80,
      headline: 140,
      organisation: 140,
      bio: 5000,
      themes: 10,
      links: 5,
    });
  });
});

describe('the patterns', () => {
  it('are the contracts’ own', () => {
    expect(SLUG.test('open-data-2')).toBe(true);
    expect(SLUG.test('Open_Data')).toBe(false);
    expect(SLUG.test('x')).toBe(false);
    expect(HANDLE.test('ana-lima')).toBe(true);
    expect(COUNTRY.test('BR')).toBe(true);
    expect(COUNTRY.test('br')).toBe(false);
    expect(EMAIL.test('ana@example.org')).toBe(true);
    expect(EMAIL.test('ana example.org')).toBe(false);
  });
});

describe('web links', () => {
  it('reads an address as people type it', () => {
    expect(normaliseLink('example.org/me')).toBe('https://example.org/me');
    expect(normaliseLink('//example.org')).toBe('https://example.org');
    expect(normaliseLink('http://example.org')).toBe('http://example.org');
    expect(normaliseLink('')).toBe('');
  });

  it('takes http and https addresses with a dotted host, within the length the API takes', () => {
    expect(isWebLink('https://example.org/me')).toBe(true);
    expect(isWebLink('http://meet.example.org/x?y=1')).toBe(true);
    expect(isWebLink('ftp://example.org')).toBe(false);
    expect(isWebLink('javascript:alert(1)')).toBe(false);
    expect(isWebLink('https://localhost')).toBe(false);
    expect(isWebLink('https://exa mple.org')).toBe(false);
    // The API's pattern is ^https?:// (lower case).
    expect(isWebLink('HTTPS://example.org')).toBe(false);
    const long = `https://example.org/${'a'.repeat(480)}`;
    expect(isWebLink(long)).toBe(true);
    expect(isWebLink(`${long}a`)).toBe(false);
    // Characters are counted as people count them: an emoji is one.
    expect(isWebLink(`https://example.org/${'😀'.repeat(480)}`)).toBe(true);
    expect(isWebLink('https://example.org/abc', 10)).toBe(false);
  });
});
