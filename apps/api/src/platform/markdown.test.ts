import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import {
  EXCERPT_MAX,
  excerptOf,
  markdownToText,
  mentionedHandles,
  namesIn,
  referencedCases,
  renderMarkdown,
  renderPost,
  renderWork,
  shortenText,
} from './markdown.ts';
import { expectInertHtml } from '../testing-html.ts';

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

describe('renderMarkdown', () => {
  it('renders ordinary markdown with safe links', () => {
    const html = renderMarkdown('Hello **world**, see https://oecd-opsi.org and [docs](https://example.org/a?b=1).');
    expect(html).toContain('<strong>world</strong>');
    expect(html).toContain('<a href="https://oecd-opsi.org" rel="nofollow ugc noopener">');
    expect(html).toContain('<a href="https://example.org/a?b=1" rel="nofollow ugc noopener">docs</a>');
  });

  it('neutralises classic XSS payloads', () => {
    for (const payload of PAYLOADS) expectInertHtml(renderMarkdown(payload));
    expect(renderMarkdown('<script>alert(1)</script>')).toContain('&lt;script&gt;');
  });

  it('never throws or emits active content on the big list of naughty strings', () => {
    for (const s of naughty as string[]) expectInertHtml(renderMarkdown(s));
  });
});

describe('link count', () => {
  it('counts written and bare links, not @mentions or code', () => {
    const source = 'See [a](https://a.example) and https://b.example, ask @ana, `https://c.example`';
    expect(renderPost(source, new Set(['ana'])).links).toBe(2);
    expect(renderPost('no links here, @ana', new Set(['ana'])).links).toBe(0);
  });
});

describe('#case links', () => {
  const cases = new Set(['open-budget', 'lab-2024']);

  it('links #slug of a known case to the case, as a mention links to a profile', () => {
    const { html, links } = renderPost('See #open-budget and #lab-2024, ask @ana.', new Set(['ana']), cases);
    expect(html).toContain('See <a href="/cases/open-budget" class="case-link">#open-budget</a> and');
    expect(html).toContain('<a href="/cases/lab-2024" class="case-link">#lab-2024</a>,');
    expect(html).toContain('<a href="/people/ana" class="mention">@ana</a>.');
    expect(links).toBe(0);
  });

  it('leaves unknown cases, words, addresses, code and headings alone', () => {
    const source =
      '#nope, word#open-budget, https://x.example/#open-budget, `#open-budget`, #open-budgets\n\n# open-budget';
    const html = renderPost(source, undefined, cases).html;
    expect(html).not.toContain('class="case-link"');
    expect(html).toContain('<h1>open-budget</h1>');
  });

  it('finds the slugs a text names (outside code and links), once each', () => {
    expect(referencedCases('#open-budget, #open-budget, `#x-code` [#in-link](https://a.example) (#lab-2024)')).toEqual([
      'open-budget',
      'lab-2024',
    ]);
    expect(mentionedHandles('#open-budget @ana')).toEqual(['ana']);
    // Both from one parse, as a new post's lookups take them.
    expect(namesIn('@Ana on #open-budget, `@code` and [@link](https://a.example): @bo, #lab-2024 @ana')).toEqual({
      handles: ['ana', 'bo'],
      cases: ['open-budget', 'lab-2024'],
    });
  });

  it('leaves an escaped \\# or \\@ as typed, and an entity for # too, in the page and in what is notified', () => {
    const source = 'Not \\#open-budget nor \\@ana nor &#35;lab-2024; but \\\\#lab-2024 is (an escaped backslash).';
    const { html } = renderPost(source, new Set(['ana']), cases);
    expect(html).toContain(
      'Not #open-budget nor @ana nor #lab-2024; but \\<a href="/cases/lab-2024" class="case-link">',
    );
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(referencedCases(source)).toEqual(['lab-2024']);
    expect(mentionedHandles('\\@ana and @cy')).toEqual(['cy']);
    expect(referencedCases('x&amp;#open-budget')).toEqual([]);
  });
});

describe('render budget', () => {
  it('keeps label scanning linear on runs of unmatched brackets (was ~100 steps per character)', () => {
    for (const body of ['['.repeat(20000), '!['.repeat(10000), '[a'.repeat(10000), `${'['.repeat(19999)}]`]) {
      // The budget (1000 + 2 per character), then at most one refused step per character.
      expect(renderWork(body)).toBeLessThanOrEqual(1000 + 3 * body.length);
      expect(renderMarkdown(body)).toContain(body.slice(0, 30));
    }
  });

  it('leaves ordinary posts untouched: every link of a long post with many links is a link', () => {
    const body = 'See [docs](https://example.org/a) and [x] then [[y]]. '.repeat(300);
    expect(renderWork(body)).toBeLessThan(body.length);
    expect(renderMarkdown(body).match(/<a href="https:\/\/example\.org\/a"/g)).toHaveLength(300);
  });
});

describe('excerpts', () => {
  it('are plain text: no emphasis, quote, heading, list or link syntax, link text kept', () => {
    const { html, excerpt } = renderPost(
      '# Title\n\n> quoted **bold** and _it_\n\n- [docs](https://example.org/x) here\n- `code` ~~gone~~\n\n```\nfenced\n```\n\n&amp; 1 < 2',
    );
    expect(html).toContain('<blockquote>');
    expect(excerpt).toBe('Title quoted bold and it docs here code gone fenced & 1 < 2');
  });

  it('collapse white space and control characters, and are cut at the limit with an ellipsis', () => {
    expect(excerptOf('a\u0007\tb\n\nc')).toBe('a b c');
    const long = excerptOf('word '.repeat(1000));
    expect(long.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(long.endsWith('word…')).toBe(true);
    expect(shortenText(long, 200)).toHaveLength(200);
  });

  it('of 20,000 brackets are the brackets themselves, cut', () => {
    expect(excerptOf('['.repeat(20000))).toBe(`${'['.repeat(EXCERPT_MAX - 1)}…`);
    expect(excerptOf('!['.repeat(10000), 9)).toBe('![![![![…');
  });
});

describe('plain text that keeps its shape (calendars)', () => {
  it('turns markdown into plain text', () => {
    expect(markdownToText('1. *first*\n2. `second`\n\n> quoted\n\nwrite to <a@b.org> and https://x.org')).toBe(
      '1. first\n2. second\n\nquoted\n\nwrite to a@b.org and https://x.org',
    );
  });

  it('keeps headings, nested lists, code and a link’s address apart from its text', () => {
    expect(
      markdownToText(
        '# Agenda\n\n- one\n  - one and a half\n- [two](https://x.org/2)\n\n```\nfenced\n```\n\n---\n\nend',
      ),
    ).toBe('Agenda\n\n- one\n  - one and a half\n- two (https://x.org/2)\n\nfenced\n\n---\n\nend');
  });

  it('is the renderer’s markdown: no raw HTML, no images, only allowed links', () => {
    expect(markdownToText('<b>bold</b> ![logo](https://x.org/l.png) [x](javascript:alert(1))')).toBe(
      '<b>bold</b> !logo (https://x.org/l.png) [x](javascript:alert(1))',
    );
  });
});
