import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.ts';

describe('escapeHtml', () => {
  it('turns the five markup characters into references and leaves the rest', () => {
    expect(escapeHtml(`5 < 6 & "x" <img src=x onerror='alert(1)'>`)).toBe(
      '5 &#60; 6 &#38; &#34;x&#34; &#60;img src=x onerror=&#39;alert(1)&#39;&#62;',
    );
    expect(escapeHtml('Réunion — café ☕ 日本')).toBe('Réunion — café ☕ 日本');
    expect(escapeHtml('')).toBe('');
  });

  it('escapes an ampersand once, so a reference in the text shows as typed', () => {
    expect(escapeHtml('&amp; &#60;')).toBe('&#38;amp; &#38;#60;');
  });

  it('is read back as the same text by an HTML parser, in text and in attribute values', () => {
    const text = `Tom & Jerry's "<b>show</b>"`;
    const decode = (html: string) => html.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(decode(escapeHtml(text))).toBe(text);
    expect(escapeHtml(text)).not.toMatch(/[<>"']/);
  });
});
