import { afterEach, describe, expect, it } from 'vitest';
import {
  cachedIntl,
  dateTimeFormat,
  formatList,
  formatNumber,
  formatOnce,
  formatsElement,
  keepFormatsIn,
} from './intl.ts';

describe('cachedIntl', () => {
  it('makes one formatter per locale and options, and gives the same output as a new one', () => {
    const a = dateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
    expect(dateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' })).toBe(a);
    expect(dateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' })).not.toBe(a);
    const date = new Date('2026-03-03T10:00:00Z');
    expect(a.format(date)).toBe(new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date));
  });

  it('starts again past its bound rather than growing', () => {
    const first = cachedIntl(Intl.PluralRules, 'en-x-0', {});
    for (let i = 1; i <= 300; i++) cachedIntl(Intl.PluralRules, `en-x-${i}`, {});
    expect(cachedIntl(Intl.PluralRules, 'en-x-0', {})).not.toBe(first);
  });
});

describe('formatNumber (Paraglide counts)', () => {
  const samples = [
    0,
    1,
    2,
    9,
    10,
    99,
    100,
    999,
    1000,
    1001,
    9999,
    10000,
    12345,
    99999,
    100000,
    999999,
    1000000,
    1234567,
    2 ** 31,
    Number.MAX_SAFE_INTEGER,
  ];

  it.each(['en', 'fr'])('writes whole numbers in %s exactly as Intl.NumberFormat does', (locale) => {
    for (const n of samples) {
      expect(formatNumber(locale, n, {})).toBe(new Intl.NumberFormat(locale, {}).format(n));
      expect(formatNumber(locale, String(n), undefined)).toBe(new Intl.NumberFormat(locale).format(n));
    }
  });

  it('leaves everything else to Intl', () => {
    for (const [locale, input, options] of [
      ['en', -1234, {}],
      ['fr', 1234.5, {}],
      ['de', 1234, {}],
      ['en', 1234, { style: 'percent' }],
      ['fr', 'x', {}],
    ] as const) {
      expect(formatNumber(locale, input, options)).toBe(new Intl.NumberFormat(locale, options).format(Number(input)));
    }
  });
});

describe('formatOnce', () => {
  afterEach(() => keepFormatsIn(() => undefined));

  it('keeps what the server formatted for the page, once per key', () => {
    const kept = new Map<string, string>();
    keepFormatsIn(() => kept);
    let made = 0;
    const make = () => `text ${++made}`;
    expect(formatOnce('k', make)).toBe('text 1');
    expect(formatOnce('k', make)).toBe('text 1');
    expect(kept.get('k')).toBe('text 1');
    expect(formatList('en', { type: 'conjunction' }, ['France', 'Canada'])).toBe('France and Canada');
    expect([...kept.keys()]).toHaveLength(2);
  });

  it('formats without keeping outside a page render', () => {
    keepFormatsIn(() => undefined);
    expect(formatOnce('k', () => 'fresh')).toBe('fresh');
  });

  it('leaves the texts in an element no text can break out of', () => {
    const html = formatsElement(new Map([['a</script><script>x', '</script>']]));
    expect(html).not.toContain('</script><script>');
    expect(html.startsWith('<script type="application/json" id="opsi-formats">')).toBe(true);
    const json = html.slice(html.indexOf('>') + 1, html.lastIndexOf('</script>'));
    expect(JSON.parse(json)).toEqual({ 'a</script><script>x': '</script>' });
  });
});
