/**
 * "Catch up after post N" without the outbox's global lock: posts in one case take their ids in
 * commit order (and in the order of their transactions, the outbox's), because a new post takes its
 * thread's lock before it writes anything, while posts in other cases go on meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Post } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, signUp, writePost, type Member } from '../../testing.ts';
import { until } from '../../testing-until.ts';

let app: FastifyInstance;
let member: Member;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
  member = await signUp(app);
});
afterAll(async () => {
  await app.close();
});

/** The newest post id handed out by the sequence (taken, committed or not). */
async function lastPostIdTaken(): Promise<bigint> {
  const { rows } = await sql<{ v: string }>`select last_value::text as v from posts_id_seq`.execute(
    app.database.kysely,
  );
  return BigInt(rows[0]!.v);
}

/** Whether a post is waiting for its thread's lock, with no transaction id taken yet. */
async function waitingForThread(): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where wait_event_type = 'Lock' and wait_event = 'advisory' and backend_xid is null
      and query ilike '%pg_advisory_xact_lock%'`.execute(app.database.kysely);
  return (rows[0]?.n ?? 0) > 0;
}

async function after(slug: string, id: string): Promise<Post[]> {
  const res = await call(app, member, { method: 'GET', url: `/api/v1/cases/${slug}/posts?after=${id}&limit=100` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Post[] }>().items;
}

describe('posts without the global lock', () => {
  it('takes no transaction id nor post id while a post waits for its thread, and posts elsewhere meanwhile', async () => {
    const [busy, other] = await Promise.all([createTestCase(app), createTestCase(app)]);
    const seen = await writePost(app, member, busy, 'the post a reader has seen');

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // Another writer in the same case, still in flight (it holds the thread's lock as a post does).
    const held = app.database.kysely.transaction().execute(async (trx) => {
      const { id } = await trx.selectFrom('cases').select('id').where('slug', '=', busy).executeTakeFirstOrThrow();
      await sql`select pg_advisory_xact_lock(7331003, (${id}::bigint % 2147483647)::int)`.execute(trx);
      await trx
        .updateTable('cases')
        .set({ post_count: sql`post_count` })
        .where('id', '=', id)
        .execute();
      locked();
      await released;
    });
    await holding;
    let waiting: Promise<Post>;
    let elsewhere: Post;
    try {
      const before = await lastPostIdTaken();
      waiting = writePost(app, member, busy, 'written while the case is busy');
      await until(waitingForThread, 'the new post to wait for its thread');
      expect(await lastPostIdTaken()).toBe(before);
      expect(before).toBeGreaterThanOrEqual(BigInt(seen.id));
      // A post in another case commits while the first case is busy: nothing global holds it.
      elsewhere = await writePost(app, member, other, 'elsewhere, meanwhile');
      expect(BigInt(elsewhere.id)).toBeGreaterThan(before);
    } finally {
      release();
      await held;
    }
    const late = await waiting;
    // Its id comes after everything committed in its case before it: a reader catching up after
    // the post it has seen gets it, once.
    expect(BigInt(late.id)).toBeGreaterThan(BigInt(elsewhere.id));
    expect((await after(busy, seen.id)).map((p) => p.id)).toEqual([late.id]);
  });

  it('gives concurrent posts in one case ids in commit order: catching up after each reader’s last misses none', async () => {
    const slug = await createTestCase(app);
    const first = await writePost(app, member, slug, 'first');
    const got: string[] = [first.id];
    const writers = Array.from({ length: 6 }, (_, w) =>
      (async () => {
        for (let k = 0; k < 5; k += 1) {
          await writePost(app, member, slug, `writer ${w}, post ${k}`);
          // A reader catching up after the last post it has, as a reconnecting client does.
          const fresh = await after(slug, got[got.length - 1]!);
          for (const p of fresh) if (!got.includes(p.id)) got.push(p.id);
        }
      })(),
    );
    await Promise.all(writers);
    got.push(...(await after(slug, got[got.length - 1]!)).map((p) => p.id));
    const all = [first.id, ...(await after(slug, first.id)).map((p) => p.id)];
    expect(all).toHaveLength(31);
    expect(got).toEqual(all);
  });
});
