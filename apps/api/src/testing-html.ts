/**
 * The API test kit, rendered HTML: whether what the markdown renderer made (for a post, a bio) is
 * inert. Written once for the renderer's own tests and for the tests that post and edit through
 * the API.
 */
import { expect } from 'vitest';

/** The tags the renderer may emit (platform/markdown.ts). */
export const SAFE_TAGS = new Set([
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

/** The attributes it may put on them, and what their values may be. */
const SAFE_ATTRIBUTES: Record<string, RegExp> = {
  href: /^(https?:\/\/|mailto:|\/people\/[a-z0-9-]+$)/i,
  rel: /^nofollow ugc noopener$/,
  title: /^/,
  start: /^\d+$/,
  class: /^(language-[\w-]+|mention)$/,
};

/**
 * Every tag of `html` (text is escaped, so each literal "<" opens one) is on the allowlist, with
 * allowed attributes and values; no script; every link but a mention is `rel="nofollow ugc noopener"`.
 * `source`: what was rendered, named in the failure.
 */
export function expectInertHtml(html: string, source: string = html): void {
  const where = JSON.stringify(source).slice(0, 80);
  expect(html, where).not.toMatch(/<script/i);
  for (const [, closing, name, attrs] of html.matchAll(/<(\/?)([a-z\d]+)((?:[^>a-z\d][^>]*)?)>/gi)) {
    expect(SAFE_TAGS.has(name!.toLowerCase()), `${where}: <${closing}${name}>`).toBe(true);
    if (closing) continue;
    for (const [, key, value] of attrs!.matchAll(/(?<![^\s="])([^\s="]+)\s*=\s*"([^"]*)"/g)) {
      expect(Object.keys(SAFE_ATTRIBUTES), `${where}: ${key}`).toContain(key);
      expect(value, `${where}: ${key}`).toMatch(SAFE_ATTRIBUTES[key!]!);
    }
    if (name === 'a' && !attrs!.includes('class="mention"'))
      expect(attrs, where).toContain('rel="nofollow ugc noopener"');
  }
}
