/**
 * A catch-up answered by the other node: a client heard post X live from the node that wrote it
 * (or as a later post's previousId) and asks for the posts after the one it held, through a load
 * balancer that sends the request to a node whose outbox reader has not handed X out yet. Its
 * public cache (and the front's kept answer) still shows the page from before X: the catch-up must
 * not come from there, anonymous or signed in; nor when the client held no post (`after=0`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { PostList } from '@opsi/contracts/discussions';
import {
  call,
  createTestApp,
  createTestCase,
  listen,
  signUp,
  writePost,
  type Member,
  type Reply,
} from '../../testing.ts';
import { caseActivities, heldTransaction, listen as listenTo } from '../../testing-outbox.ts';
import { insertActivity, takeOutboxLock } from '../../platform/outbox/repository.ts';

let a: FastifyInstance;
let b: FastifyInstance;
let originB: string;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp({ ABUSE_LIMITS: 'off' }), createTestApp({ ABUSE_LIMITS: 'off' })]);
  originB = await listen(b);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

/** The ids of a page read on node B: through Fastify, then twice over HTTP (the front may answer the second). */
async function idsOnB(who: Member | null, url: string): Promise<string[][]> {
  const pages: Pick<Reply, 'statusCode' | 'body' | 'json'>[] = [await call(b, who, { url })];
  for (let i = 0; i < 2; i += 1) pages.push(await call(originB, who, { url }));
  return pages.map((res) => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PostList>().items.map((p) => p.id);
  });
}

/**
 * Node B has read `url` (empty) for both kinds of reader; then a post X goes through node A while a
 * writer of activities (about no post) is in flight, so no node's outbox reader passes it: node B's
 * reader has not handed X out, and its cached pages of the thread are as before X. Its catch-up
 * must hold X all the same.
 */
async function catchUpOnBHolds(slug: string, member: Member, url: string, label: string) {
  expect(await idsOnB(null, url)).toEqual([[], [], []]);
  expect(await idsOnB(member, url)).toEqual([[], [], []]);
  const heardOnB = listenTo(b, '');
  const held = heldTransaction(a, async (trx) => {
    await takeOutboxLock(trx);
    await insertActivity(trx, caseActivities('catch-up-nodes')(label));
  });
  try {
    await held.opened;
    const x = await writePost(a, member, slug, `Heard live from node A (${label})`);
    expect(await idsOnB(null, url)).toEqual([[x.id], [x.id], [x.id]]);
    expect(await idsOnB(member, url)).toEqual([[x.id], [x.id], [x.id]]);
    expect(heardOnB.heard.map((activity) => activity.objectId)).not.toContain(x.id);
  } finally {
    held.release();
    await held.done;
    heardOnB.unsubscribe();
  }
}

describe('a catch-up on the node that has not heard of the post yet', () => {
  it('holds every post committed before it, anonymous or signed in', async () => {
    const slug = await createTestCase(a);
    const member = await signUp(a);
    const first = await writePost(a, member, slug, 'The first post');
    await Promise.all([a.activities.poke(), b.activities.poke()]);
    // The page after the first post: a catch-up when nothing came since.
    await catchUpOnBHolds(slug, member, `/api/v1/cases/${slug}/posts?after=${first.id}&limit=100`, 'held');
  });

  it('holds the first post of a thread to a client that held none (after=0)', async () => {
    const slug = await createTestCase(a);
    const member = await signUp(a);
    await catchUpOnBHolds(slug, member, `/api/v1/cases/${slug}/posts?after=0&limit=100`, 'held-first');
  });
});
