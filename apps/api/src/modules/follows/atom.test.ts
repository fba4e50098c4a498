import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Post } from '@opsi/contracts/discussions';
import { createTestApp, createTestCase, signUp } from '../../testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

interface Entry {
  id: string;
  title: string;
  link: { '@_href': string };
  updated: string;
  author: { name: string };
  summary: { '#text': string; '@_type': string };
}

describe('Atom feeds of the hubs', () => {
  it('lists new posts and cases in a theme and a country as valid Atom, escaped, newest first', async () => {
    const writer = await signUp(app, { displayName: 'Ada <Lovelace> & "Co"' });
    const slug = await createTestCase(app, { countries: ['HM'], themes: ['justice'], title: 'Courts & <tribunals>' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${slug}/posts`,
      headers: { cookie: writer.cookie },
      // (A control character such as BEL is refused at the door now: control-characters.test.ts.)
      payload: { body: 'Bold idea: **open** the <archives> now' },
    });
    const post = res.json<Post>();
    for (const url of [
      '/api/v1/themes/justice/feed.atom',
      '/api/v1/countries/HM/feed.atom',
      '/api/v1/countries/hm/feed.atom',
    ]) {
      const feed = await app.inject({ method: 'GET', url });
      if (url.endsWith('hm/feed.atom')) {
        expect(feed.statusCode).toBe(400);
        continue;
      }
      expect(feed.statusCode, feed.body).toBe(200);
      expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(XMLValidator.validate(feed.body)).toBe(true);
      // Character references (&#60;, the shared escaper's form) decoded, as XML 1.0 requires of a
      // reader; fast-xml-parser does that only when told to.
      const doc = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(feed.body) as {
        feed: { '@_xmlns': string; title: string; entry: Entry | Entry[] };
      };
      expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
      const entries = ([] as Entry[]).concat(doc.feed.entry);
      const first = entries[0]!;
      expect(first.title).toBe('Ada <Lovelace> & "Co" on Courts & <tribunals>');
      expect(first.link['@_href']).toBe(`${app.config.publicOrigin}/cases/${slug}#post-${post.id}`);
      expect(first.summary['#text']).toBe('Bold idea: open the <archives> now');
      expect(entries.some((e) => e.title === 'New case: Courts & <tribunals>')).toBe(true);
      // Newest first, in the order activities committed (a transaction's timestamp is its start).
      const ids = entries.map((e) => Number(/activity-(\d+)$/.exec(e.id)?.[1]));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(entries.every((e) => !Number.isNaN(Date.parse(e.updated)))).toBe(true);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/themes/no-such-theme/feed.atom' })).statusCode).toBe(404);
  });
});
