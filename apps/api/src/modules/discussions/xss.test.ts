/** Every naughty string and classic XSS payload through posting and editing: no 5xx, nothing active stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import type { Post } from '@opsi/contracts/discussions';
import { createTestApp, createTestCase, signUp } from '../../testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

const CLASSIC = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '![x](https://tracker.example/p.gif)',
  '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
  '@<script>alert(1)</script>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '`<script>` and ```\n<script>alert(1)</script>\n```',
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

function assertInert(html: string, source: string) {
  const where = JSON.stringify(source).slice(0, 80);
  expect(html, where).not.toMatch(/<script/i);
  for (const tag of html.matchAll(/<([a-z\d]+)((?:[^>a-z\d][^>]*)?)>/gi)) {
    const [, name, attrs] = tag;
    expect(TAGS.has(name!.toLowerCase()), `${where}: <${name}>`).toBe(true);
    for (const attr of attrs!.matchAll(/(?<![^\s="])([^\s="]+)\s*=\s*"([^"]*)"/g)) {
      const [, key, value] = attr;
      expect(['href', 'rel', 'class', 'title'], `${where}: ${key}`).toContain(key);
      if (key === 'href') expect(value, where).toMatch(/^(https?:\/\/|mailto:|\/people\/[a-z0-9-]+$)/i);
    }
    if (name === 'a' && !attrs!.includes('class="mention"'))
      expect(attrs, where).toContain('rel="nofollow ugc noopener"');
  }
}

describe('XSS through posts', () => {
  it('stores no active content for any naughty string or classic payload, on create and on edit', async () => {
    const strings = [...CLASSIC, ...(naughty as string[])].filter((s) => s.trim() && [...s].length <= 20_000);
    const slug = await createTestCase(app);
    let member = await signUp(app);
    let posted = 0;
    for (let i = 0; i < strings.length; i += 20) {
      if (posted > 0 && posted % 200 === 0) member = await signUp(app);
      const batch = strings.slice(i, i + 20);
      const results = await Promise.all(
        batch.map((body) =>
          app.inject({
            method: 'POST',
            url: `/api/v1/cases/${slug}/posts`,
            headers: { cookie: member.cookie },
            payload: { body },
          }),
        ),
      );
      for (const [index, res] of results.entries()) {
        expect(res.statusCode, JSON.stringify(batch[index]).slice(0, 60)).toBeLessThan(500);
        if (res.statusCode === 201) {
          posted += 1;
          assertInert(res.json<Post>().bodyHtml, batch[index]!);
        }
      }
    }
    expect(posted).toBeGreaterThan(strings.length * 0.9);
    // Read back from the database, and through an edit.
    const rows = await app.database.kysely
      .selectFrom('posts as p')
      .innerJoin('cases as c', 'c.id', 'p.case_id')
      .select(['p.id', 'p.body', 'p.body_html'])
      .where('c.slug', '=', slug)
      .execute();
    for (const row of rows) assertInert(row.body_html, row.body);
    // Every classic payload through an edit of a post its editor owns: each edit must be applied.
    const editor = await signUp(app);
    const target = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${slug}/posts`,
        headers: { cookie: editor.cookie },
        payload: { body: 'To be edited' },
      })
    ).json<Post>();
    for (const body of CLASSIC) {
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/v1/posts/${target.id}`,
        headers: { cookie: editor.cookie },
        payload: { body },
      });
      expect(res.statusCode, body).toBe(200);
      assertInert(res.json<Post>().bodyHtml, body);
      const [stored] = await app.database.kysely
        .selectFrom('posts')
        .select(['body', 'body_html'])
        .where('id', '=', target.id)
        .execute();
      expect(stored!.body).toBe(body);
      assertInert(stored!.body_html, body);
    }
  });
});
