/** Every naughty string and classic XSS payload through posting and editing: no 5xx, nothing active stored. */
import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import type { Post } from '@opsi/contracts/discussions';
import { appForFile, createTestCase, signUp } from '../../testing.ts';
import { expectInertHtml } from '../../testing-html.ts';

const app = await appForFile({ RATE_LIMIT_PER_MINUTE: '100000', ABUSE_LIMITS: 'off' });

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
          expectInertHtml(res.json<Post>().bodyHtml, batch[index]!);
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
    for (const row of rows) expectInertHtml(row.body_html, row.body);
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
      expectInertHtml(res.json<Post>().bodyHtml, body);
      const [stored] = await app.database.kysely
        .selectFrom('posts')
        .select(['body', 'body_html'])
        .where('id', '=', target.id)
        .execute();
      expect(stored!.body).toBe(body);
      expectInertHtml(stored!.body_html, body);
    }
  });
});
