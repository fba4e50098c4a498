/**
 * Search pages by keyset (rank, kind, id), never by OFFSET, and builds headlines for the page's
 * rows only: what a query costs no longer grows with how much matching text others have posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Post, SearchResults } from '@opsi/contracts/discussions';
import { createDatabase, type Database } from '@opsi/db/database';
import { createTestApp, createTestCase, signUp, testDatabaseUrl, writePost, type Member } from '../../testing.ts';
import { encodeCursor } from '../../platform/cursors.ts';
import { createCasesService } from '../cases/service.ts';
import { createDiscussionsService } from './service.ts';

let app: FastifyInstance;
let author: Member;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' }); // posts many times as one member;
  author = await signUp(app);
});
afterAll(async () => {
  await app.close();
});

/** Posts as the one author of this file. */
function post(slug: string, body: string): Promise<Post> {
  return writePost(app, author, slug, body);
}

async function search(query: string): Promise<SearchResults> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/search?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SearchResults>();
}

const keyOf = (hit: SearchResults['items'][number]) =>
  hit.type === 'case' ? `case:${hit.case.slug}` : `post:${hit.post.id}`;

/** Every page, following nextCursor, as hit keys. */
async function allPages(query: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    keys.push(...page.items.map(keyOf));
    cursor = page.nextCursor;
    if (!cursor) return keys;
  }
  throw new Error('more than 100 pages');
}

describe('search paging', () => {
  it('gives every hit exactly once, in rank order then cases first then newest, also across equal ranks', async () => {
    const word = `pangolin${Date.now().toString(36)}`;
    const slug = await createTestCase(app, { title: `The ${word} registry` });
    const posts: Post[] = [];
    // Bodies of different strength (different ranks) and many identical ones (equal ranks).
    for (let i = 0; i < 23; i += 1) {
      const body = i % 3 === 0 ? `${word} ${word} and ${word} again, number ${i % 2}` : `A note about the ${word}`;
      posts.push(await post(slug, body));
    }
    const { rows: ranks } = await sql<{ id: string; rank: number }>`
      select p.id::text as id, ts_rank_cd(p.search, websearch_to_tsquery('english', ${word})) as rank
      from posts p where p.id = any(${posts.map((p) => p.id)}::bigint[])`.execute(app.database.kysely);
    const rankOf = new Map(ranks.map((r) => [r.id, r.rank]));
    expect(new Set(ranks.map((r) => r.rank)).size).toBeLessThan(ranks.length); // there are ties
    const expectedPosts = [...posts]
      .sort((a, b) => rankOf.get(b.id)! - rankOf.get(a.id)! || Number(BigInt(b.id) - BigInt(a.id)))
      .map((p) => `post:${p.id}`);

    const onePage = (await search(`q=${word}&type=posts&limit=100`)).items.map(keyOf);
    expect(onePage).toEqual(expectedPosts);
    for (const limit of [1, 4, 7]) expect(await allPages(`q=${word}&type=posts`, limit)).toEqual(expectedPosts);

    const everything = (await search(`q=${word}&limit=100`)).items.map(keyOf);
    expect(everything).toHaveLength(24);
    expect(everything).toContain(`case:${slug}`);
    expect(await allPages(`q=${word}`, 5)).toEqual(everything);
    expect(await allPages(`q=${word}&type=cases`, 1)).toEqual([`case:${slug}`]);
  });

  it('refuses a cursor it did not issue (such as an offset), naming the field', async () => {
    for (const cursor of [
      Buffer.from(JSON.stringify({ offset: 20 })).toString('base64url'),
      encodeCursor({ afterId: '5' }),
      'nonsense',
    ]) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/search?q=anything&cursor=${cursor}` });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'cursor' }] } });
    }
  });
});

describe('search headlines', () => {
  let counted: Database;
  beforeAll(async () => {
    // ts_headline, counted: a wrapper found first on the search path of this connection pool.
    await sql`create schema if not exists counting`.execute(app.database.kysely);
    await sql`create sequence if not exists counting.headlines`.execute(app.database.kysely);
    await sql`create or replace function counting.ts_headline(regconfig, text, tsquery, text) returns text
      language sql volatile as $$ select nextval('counting.headlines'); select pg_catalog.ts_headline($1, $2, $3, $4) $$`.execute(
      app.database.kysely,
    );
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', '-c search_path=counting,pg_catalog,public');
    counted = await createDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 });
  });
  afterAll(async () => {
    await counted.close();
  });

  async function headlinesBuilt(run: () => Promise<unknown>): Promise<number> {
    const read = async () => {
      const { rows } = await sql<{ n: string }>`
        select case when is_called then last_value else 0 end as n from counting.headlines`.execute(counted.kysely);
      return Number(rows[0]!.n);
    };
    const before = await read();
    await run();
    return (await read()) - before;
  }

  it('are built for the rows of the page only, however many posts match', async () => {
    const word = `okapi${Date.now().toString(36)}`;
    const slug = await createTestCase(app, { title: `The ${word} census` });
    for (let i = 0; i < 30; i += 1) await post(slug, `The ${word} count, part ${i}: ${'lorem ipsum '.repeat(200)}`);
    const service = createDiscussionsService(counted, { cases: createCasesService(counted) });
    // Sanity: the wrapper is the function the statement calls.
    expect(
      await headlinesBuilt(() =>
        sql`select ts_headline('english', 'a b', to_tsquery('a'), '')`.execute(counted.kysely),
      ),
    ).toBe(1);

    let first!: Awaited<ReturnType<typeof service.search>>;
    expect(await headlinesBuilt(async () => (first = await service.search({ q: word, limit: 5 })))).toBeLessThanOrEqual(
      6,
    );
    expect(first.items).toHaveLength(5);
    expect(first.total).toEqual({ cases: 1, posts: 30 });
    const posts = first.items.filter((hit) => hit.type === 'post');
    expect(posts.length).toBeGreaterThanOrEqual(4);
    expect(posts.every((hit) => hit.snippet.includes(`<mark>${word}</mark>`))).toBe(true);
    const next = first.nextCursor!;
    expect(await headlinesBuilt(() => service.search({ q: word, limit: 5, cursor: next }))).toBeLessThanOrEqual(6);
  });
});
