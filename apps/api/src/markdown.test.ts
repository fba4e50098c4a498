import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import { renderMarkdown } from './markdown.ts';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '![x](https://tracker.example/pixel.gif)',
  '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
  '<iframe src="https://evil.example"></iframe>',
  '`<script>`',
];

const TAGS = new Set([
  'p',
  'br',
  'strong',
  'em',
  'a',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  's',
]);
const ATTRIBUTES = new Set(['href', 'rel', 'title', 'start', 'class']);

/** Every real tag (text is escaped, so each literal "<" opens one) is on the allowlist, with safe attributes. */
function assertSafe(html: string) {
  for (const [, closing, name, attrs] of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>/g)) {
    expect(TAGS.has(name!.toLowerCase()), `tag <${name}> in ${html}`).toBe(true);
    if (closing) continue;
    for (const [, attr, value] of attrs!.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
      expect(ATTRIBUTES.has(attr!.toLowerCase()), `attribute ${attr} in ${html}`).toBe(true);
      if (attr === 'href') expect(value).toMatch(/^(https?:\/\/|mailto:)/i);
      if (attr === 'class') expect(value).toMatch(/^language-[\w-]+$/);
    }
  }
}

describe('renderMarkdown', () => {
  it('renders ordinary markdown with safe links', () => {
    const html = renderMarkdown('Hello **world**, see https://oecd-opsi.org and [docs](https://example.org/a?b=1).');
    expect(html).toContain('<strong>world</strong>');
    expect(html).toContain('<a href="https://oecd-opsi.org" rel="nofollow ugc noopener">');
    expect(html).toContain('<a href="https://example.org/a?b=1" rel="nofollow ugc noopener">docs</a>');
  });

  it('neutralises classic XSS payloads', () => {
    for (const payload of PAYLOADS) assertSafe(renderMarkdown(payload));
    expect(renderMarkdown('<script>alert(1)</script>')).toContain('&lt;script&gt;');
  });

  it('never throws or emits active content on the big list of naughty strings', () => {
    for (const s of naughty as string[]) assertSafe(renderMarkdown(s));
  });
});
