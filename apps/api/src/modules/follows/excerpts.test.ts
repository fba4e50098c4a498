/**
 * Excerpts are written once with the post (plain text from the rendered markdown) and only read
 * afterwards: the feed, the hubs' Atom feeds and notifications never process a body again. The
 * Atom feeds come from the public cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { XMLParser } from 'fast-xml-parser';
import type { Feed } from '@opsi/contracts/follows';
import type { Post } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, signUp, writePost, type Member } from '../../testing.ts';
import { listActivitiesAfter } from '../../platform/outbox/repository.ts';
import { notificationsFor } from '../notifications/service.ts';
import { down, up } from '../../../../../db/migrations/2026-12-04T1000_post_excerpts.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

async function post(who: Member, slug: string, body: string): Promise<Post> {
  const written = await writePost(app, who, slug, body);
  // As the route does: read the outbox now, which empties the public cache.
  await app.activities.poke();
  return written;
}

async function feedExcerpt(who: Member, postId: string): Promise<string | undefined> {
  const res = await call(app, who, { method: 'GET', url: '/api/v1/me/feed?limit=50' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Feed>().items.find((i) => i.objectType === 'post' && i.objectId === postId)?.excerpt;
}

interface AtomEntry {
  title: string;
  link: { '@_href': string };
  summary: { '#text': string } | string;
}

async function atom(url: string): Promise<{ contentType: string; title: string; entries: AtomEntry[] }> {
  const res = await app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  const doc = new XMLParser({ ignoreAttributes: false }).parse(res.body) as {
    feed: { title: string; entry?: AtomEntry | AtomEntry[] };
  };
  return {
    contentType: String(res.headers['content-type']),
    title: doc.feed.title,
    entries: ([] as AtomEntry[]).concat(doc.feed.entry ?? []),
  };
}

function summaryOf(entries: AtomEntry[], postId: string): string | undefined {
  const entry = entries.find((e) => e.link['@_href'].endsWith(`#post-${postId}`));
  return entry && (typeof entry.summary === 'string' ? entry.summary : entry.summary['#text']);
}

async function storedExcerpt(postId: string): Promise<string> {
  const { rows } = await sql<{ excerpt: string }>`select excerpt from posts where id = ${postId}`.execute(
    app.database.kysely,
  );
  return rows[0]!.excerpt;
}

describe('post excerpts', () => {
  it('are plain text written with the post and on every edit, for markup, links, quotes, code and 20,000 brackets', async () => {
    const writer = await signUp(app);
    const slug = await createTestCase(app);
    const rich = await post(
      writer,
      slug,
      '## Plan\n\n> **Open** the [archives](https://example.org/a) _now_\n\n- `code` &amp; more\n\n```\nfenced\n```',
    );
    expect(await storedExcerpt(rich.id)).toBe('Plan Open the archives now code & more fenced');
    const brackets = await post(writer, slug, '['.repeat(20000));
    expect(await storedExcerpt(brackets.id)).toBe(`${'['.repeat(499)}…`);
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/v1/posts/${rich.id}`,
      headers: { cookie: writer.cookie },
      payload: { body: 'Now *plain* [text](https://example.org/b)' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await storedExcerpt(rich.id)).toBe('Now plain text');
  });

  it('are read, never recomputed, by the feed, the Atom feeds and notifications', async () => {
    const [reader, writer] = await Promise.all([signUp(app), signUp(app)]);
    const slug = await createTestCase(app, { countries: ['HM'], themes: ['justice'] });
    await app.inject({ method: 'PUT', url: '/api/v1/follows/theme/justice', headers: { cookie: reader.cookie } });
    const before = app.activities.lastId();
    const p = await post(writer, slug, `A **bold** idea for @${reader.handle}`);
    const long = await post(writer, slug, '['.repeat(20000));
    expect(await feedExcerpt(reader, p.id)).toBe(`A bold idea for @${reader.handle}`);
    expect(await feedExcerpt(reader, long.id)).toBe(`${'['.repeat(199)}…`);
    expect(summaryOf((await atom('/api/v1/themes/justice/feed.atom')).entries, long.id)).toBe(`${'['.repeat(499)}…`);
    // What is stored is what is shown: a stored excerpt that no processing of the body would give.
    await sql`update posts set excerpt = 'The stored excerpt' where id = ${p.id}`.execute(app.database.kysely);
    await app.inject({ method: 'PUT', url: '/api/v1/follows/country/HM', headers: { cookie: reader.cookie } });
    await app.activities.poke(); // a committed activity empties the public cache
    expect(await feedExcerpt(reader, p.id)).toBe('The stored excerpt');
    expect(summaryOf((await atom('/api/v1/countries/HM/feed.atom')).entries, p.id)).toBe('The stored excerpt');
    const activity = (
      await listActivitiesAfter(app.database.kysely, { afterId: before, publicOnly: true, limit: 100 })
    ).find((a) => a.objectType === 'post' && a.objectId === p.id && a.verb === 'created')!;
    const told = await app.database.kysely.transaction().execute((trx) => notificationsFor(trx, activity));
    const mention = told.groups.find((g) => 'ids' in g.audience && g.audience.ids.includes(reader.user.id));
    expect(mention).toMatchObject({ kind: 'mention', payload: { excerpt: 'The stored excerpt' } });
  });
});

describe('the hubs’ Atom feeds', () => {
  it('are served from the public cache as application/atom+xml, emptied by a new post', async () => {
    const writer = await signUp(app);
    const slug = await createTestCase(app, { countries: ['BV'], themes: ['justice'], title: 'Bouvet before' });
    await post(writer, slug, 'First');
    const url = '/api/v1/countries/BV/feed.atom';
    const first = await atom(url);
    expect(first.contentType).toBe('application/atom+xml; charset=utf-8');
    expect(first.entries.some((e) => e.title.endsWith('on Bouvet before'))).toBe(true);
    // A change that publishes no activity: the cached feed is served as it was.
    await sql`update cases set title = 'Bouvet after' where slug = ${slug}`.execute(app.database.kysely);
    const second = await atom(url);
    expect(second.contentType).toBe('application/atom+xml; charset=utf-8');
    expect(second.entries).toEqual(first.entries);
    // A new post commits an activity, which empties the cache: the next read is fresh.
    const p = await post(writer, slug, 'Second');
    const third = await atom(url);
    expect(summaryOf(third.entries, p.id)).toBe('Second');
    expect(third.entries.some((e) => e.title.endsWith('on Bouvet after'))).toBe(true);
  });
});

describe('the excerpt migration', () => {
  it('fills the excerpts of existing posts from their stored HTML, in plain text', async () => {
    const writer = await signUp(app);
    const slug = await createTestCase(app);
    const plain = await post(writer, slug, '> **Quoted** [link](https://example.org) & <b>not html</b>\n\nNext');
    const long = await post(writer, slug, 'word '.repeat(3000));
    const brackets = await post(writer, slug, '['.repeat(20000));
    await down(app.database.kysely);
    await up(app.database.kysely);
    expect(await storedExcerpt(plain.id)).toBe('Quoted link & <b>not html</b> Next');
    const longExcerpt = await storedExcerpt(long.id);
    expect(longExcerpt).toHaveLength(500);
    expect(longExcerpt.endsWith('word…')).toBe(true);
    expect(await storedExcerpt(brackets.id)).toBe(`${'['.repeat(499)}…`);
  });
});
