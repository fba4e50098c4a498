/**
 * The outbox without a global lock: writers commit in any order, and every reader (the in-process
 * bus behind realtime and the cache, the stream's replay, a cursor consumer like the notifier)
 * hands each activity out once, in the same order, never passing over one committed late behind
 * a transaction that was still in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../../testing.ts';
import {
  caseActivities,
  consumeAll as consumeAllOf,
  consumeSettled as consumeSettledOf,
  heldTransaction as held,
  listen as listenTo,
  listSettled as listSettledOf,
  newCursor as newCursorOf,
} from '../../testing-outbox.ts';
import type { Activity } from './catalogue.ts';
import { insertActivity, type ActivityFilter, type ActivityPosition } from './repository.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const caseActivity = caseActivities('outbox');
const heldTransaction = () => held(app);
const listen = (prefix: string) => listenTo(app, prefix);
const newCursor = (name: string, at: ActivityPosition) => newCursorOf(app, name, at);
const consumeAll = (cursor: string, prefix: string, handled: string[]) => consumeAllOf(app, cursor, prefix, handled);
/** Everything committed, read or handed out (nothing of the test's in flight). */
const listSettled = (filter: ActivityFilter) => listSettledOf(app, filter);
const consumeSettled = (cursor: string, prefix: string, handled: string[]) =>
  consumeSettledOf(app, cursor, prefix, handled);

describe('the outbox without a global lock', () => {
  it('hands out an activity committed after a later one, but written first, in its place: never skipped, never twice', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('test-late-commit', start);
    const { heard, unsubscribe } = listen('outbox-late-');
    try {
      const early = caseActivity('late');
      const late = caseActivity('late');
      const held = heldTransaction();
      const trx = await held.opened;
      await insertActivity(trx, early);
      // A later writer commits first: its activity has a greater id.
      await app.database.kysely.transaction().execute((t) => insertActivity(t, late));

      // Every reader stops before it while the first transaction is in flight.
      const page = await app.activities.listAfter({ after: start, publicOnly: false, limit: 100 });
      expect(page.activities.filter((a) => a.objectId.startsWith('outbox-late-'))).toEqual([]);
      expect(page.blocked).toBe(true);
      const consumed: string[] = [];
      const blocked = await consumeAll('test-late-commit', 'outbox-late-', consumed);
      expect(blocked).toMatchObject({ blocked: true });
      expect(consumed).toEqual([]);
      // The bus reads now and waits for the transaction in flight.
      const poked = app.activities.poke();

      held.release();
      await held.done;
      await poked;
      expect(heard.map((a) => a.objectId)).toEqual([early.objectId, late.objectId]);
      const replay = await listSettled({ after: start, publicOnly: true, limit: 100 });
      expect(replay.activities.filter((a) => a.objectId.startsWith('outbox-late-')).map((a) => a.objectId)).toEqual([
        early.objectId,
        late.objectId,
      ]);
      await consumeSettled('test-late-commit', 'outbox-late-', consumed);
      expect(consumed).toEqual([early.objectId, late.objectId]);
    } finally {
      unsubscribe();
    }
  });

  it('gives every reader the same order when a transaction in flight writes again after a later one committed', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('test-same-order', start);
    const { heard, unsubscribe } = listen('outbox-order-');
    try {
      const first = caseActivity('order');
      const other = caseActivity('order');
      const second = caseActivity('order');
      const held = heldTransaction();
      const trx = await held.opened;
      await insertActivity(trx, first);
      const otherId = await app.database.kysely.transaction().execute((t) => insertActivity(t, other));
      // Written after `other` committed, so with a greater id, in the transaction that began first.
      const secondId = await insertActivity(trx, second);
      expect(BigInt(secondId)).toBeGreaterThan(BigInt(otherId));
      const poked = app.activities.poke();
      held.release();
      await held.done;
      await poked;

      // The order of transactions, then of ids within one: the same for all readers.
      const expected = [first.objectId, second.objectId, other.objectId];
      expect(heard.map((a) => a.objectId)).toEqual(expected);
      const replay = await listSettled({ after: start, publicOnly: true, limit: 100 });
      expect(replay.activities.filter((a) => a.objectId.startsWith('outbox-order-')).map((a) => a.objectId)).toEqual(
        expected,
      );
      const consumed: string[] = [];
      await consumeSettled('test-same-order', 'outbox-order-', consumed);
      expect(consumed).toEqual(expected);
      // A client resuming after `second` (by its id, as the stream's `since`) gets `other`, not `second` again.
      const resumed = await listSettled({ afterId: secondId, publicOnly: true, limit: 100 });
      expect(resumed.activities.filter((a) => a.objectId.startsWith('outbox-order-')).map((a) => a.objectId)).toEqual([
        other.objectId,
      ]);
    } finally {
      unsubscribe();
    }
  });

  it('loses and repeats nothing under eight concurrent writers committing in random order', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('test-many-writers', start);
    const { heard, unsubscribe } = listen('outbox-many-');
    const consumed: string[] = [];
    try {
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let k = 0; k < 15; k += 1) {
          await app.database.kysely.transaction().execute(async (trx) => {
            await insertActivity(trx, caseActivity('many'));
            // Some transactions write twice, with other writers' commits in between.
            if ((w + k) % 3 === 0) {
              await new Promise((resolve) => setImmediate(resolve));
              await insertActivity(trx, caseActivity('many'));
            }
          });
          // The readers run meanwhile, as notifications and pokes would wake them.
          if (k % 4 === w % 4) {
            void app.activities.poke();
            await consumeAll('test-many-writers', 'outbox-many-', consumed);
          }
        }
      });
      await Promise.all(writers);
      await app.activities.poke();
      await consumeSettled('test-many-writers', 'outbox-many-', consumed);

      // The order of the outbox once everything has settled, read in one go.
      const all = await listSettled({ after: start, publicOnly: false, limit: 1000 });
      const ours = all.activities.filter((a) => a.objectId.startsWith('outbox-many-'));
      const order = ours.map((a) => a.objectId);
      expect(order.length).toBe(8 * 15 + countDoubles());
      expect(new Set(order).size).toBe(order.length);
      // Where each one stands (objectId@xid:id), to tell a skip from a reorder if this fails. CI on
      // af29a08 found the bus without one writer's two activities: it had been taken for a
      // bystander while it committed (horizon/bystanders.test.ts).
      const where = (list: Activity[]) => list.map((a) => `${a.objectId}@${a.xid}:${a.id}`).join(' ');
      expect(
        heard.map((a) => a.objectId),
        `outbox: ${where(ours)}\nbus: ${where(heard)}`,
      ).toEqual(order);
      expect(consumed).toEqual(order);
    } finally {
      unsubscribe();
    }
  });
});

/** How many of the eight writers' fifteen transactions write two activities. */
function countDoubles(): number {
  let n = 0;
  for (let w = 0; w < 8; w += 1) for (let k = 0; k < 15; k += 1) if ((w + k) % 3 === 0) n += 1;
  return n;
}
