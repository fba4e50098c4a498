/**
 * The outbox's horizon counts only the transactions that write activities (those that took the
 * outbox writers' lock before they had an xid): a long transaction that writes none (the notifier
 * writing a post's 20,000 notifications) holds back no reader, while a writer in flight still
 * does. And a transaction that wrote before taking the lock cannot write an activity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, signUp, writePost } from '../../testing.ts';
import type { Activity, NewActivity } from './catalogue.ts';
import {
  consumeActivities,
  insertActivity,
  latestActivityId,
  takeOutboxLock,
  writerTransaction,
  type ActivityPosition,
  type OutboxTransaction,
} from './repository.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

let serial = 0;
/** A case activity with a name of its own (its objectId), to pick this test's out of all. */
function caseActivity(tag: string): NewActivity {
  serial += 1;
  return {
    verb: 'created',
    objectType: 'case',
    objectId: `horizon-${tag}-${serial}`,
    actorId: null,
    countries: ['FR'],
    themes: [],
    isPublic: true,
    payload: { title: `Case ${serial}` },
  };
}

/**
 * A transaction on a connection of its own, held open until `release` (it commits then): `start`
 * runs first in it (what makes it a writer, a bystander with an xid, or a cursor's batch).
 */
function heldTransaction(start: (trx: OutboxTransaction) => Promise<unknown>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let ready!: (trx: OutboxTransaction) => void;
  const opened = new Promise<OutboxTransaction>((resolve) => (ready = resolve));
  const done = app.database.kysely.transaction().execute(async (trx) => {
    await start(trx);
    ready(trx);
    await released;
  });
  return { opened, release, done };
}

/** A transaction that writes no activity but has an xid (it wrote something), like the notifier's. */
const bystander = () =>
  heldTransaction(async (trx) => {
    const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx);
    expect(rows[0]!.xid).toMatch(/^\d+$/);
  });

/** What the bus hands out of this test's activities (their objectId starts with `prefix`). */
function listen(prefix: string) {
  const heard: string[] = [];
  const unsubscribe = app.activities.subscribe((a: Activity) => {
    if (a.objectId.startsWith(prefix)) heard.push(a.objectId);
  });
  return { heard, unsubscribe };
}

async function newCursor(name: string, at: ActivityPosition) {
  await app.database.kysely.insertInto('outbox_cursors').values({ name, last_id: at.id, last_xid: at.xid }).execute();
}

/** Everything a cursor consumer handles of this test's, batch after batch, until none is waiting. */
async function consumeAll(cursor: string, prefix: string, handled: string[]) {
  for (;;) {
    const done = await consumeActivities(
      app.database.kysely,
      cursor,
      3,
      async (_trx, activities) => {
        handled.push(...activities.filter((a) => a.objectId.startsWith(prefix)).map((a) => a.objectId));
        return null;
      },
      () => undefined,
    );
    if (!done?.more) return done;
  }
}

const write = (activity: NewActivity) => writerTransaction(app.database.kysely, (trx) => insertActivity(trx, activity));

describe('the outbox horizon', () => {
  it('hands out an activity committed while a long transaction that writes none is still open', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('horizon-bystander', start);
    const { heard, unsubscribe } = listen('horizon-bystander-');
    const held = bystander();
    try {
      await held.opened;
      const activity = caseActivity('bystander');
      await write(activity);
      // The poke resolves with the activity handed out, the long transaction still open.
      await app.activities.poke();
      expect(heard).toEqual([activity.objectId]);
      const page = await app.activities.listAfter({ after: start, publicOnly: false, limit: 100 });
      expect(page.blocked).toBe(false);
      expect(page.activities.map((a) => a.objectId)).toContain(activity.objectId);
      const consumed: string[] = [];
      expect(await consumeAll('horizon-bystander', 'horizon-bystander-', consumed)).toMatchObject({ blocked: false });
      expect(consumed).toEqual([activity.objectId]);
    } finally {
      held.release();
      await held.done;
      unsubscribe();
    }
  });

  it('does not wait for a cursor’s batch held open (the notifier writing many notifications)', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('horizon-batch', start);
    const { heard, unsubscribe } = listen('horizon-batch-');
    // A batch of that cursor, held open: it holds the cursor's row (so it has an xid) until released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inBatch!: () => void;
    const batchOpen = new Promise<void>((resolve) => (inBatch = resolve));
    const batch = consumeActivities(
      app.database.kysely,
      'horizon-batch',
      1000,
      async () => {
        inBatch();
        await released;
        return null;
      },
      () => undefined,
    );
    try {
      await batchOpen;
      const activity = caseActivity('batch');
      await write(activity);
      await app.activities.poke();
      expect(heard).toEqual([activity.objectId]);
    } finally {
      release();
      await batch;
      unsubscribe();
    }
    // The batch read nothing of it (it began before), so the cursor hands it out next.
    const consumed: string[] = [];
    await consumeAll('horizon-batch', 'horizon-batch-', consumed);
    expect(consumed).toHaveLength(1);
  });

  it('answers a post (its activity handed out) while a long transaction that writes none is open', async () => {
    const member = await signUp(app);
    const { heard, unsubscribe } = listen('');
    const held = bystander();
    try {
      await held.opened;
      const post = await writePost(
        app,
        member,
        'ukraine-procurement-risk-monitoring',
        'Posted beside a long transaction',
      );
      // The route pokes after its commit: by its answer, the bus has handed its activity out.
      expect(heard).toContain(post.id);
    } finally {
      held.release();
      await held.done;
      unsubscribe();
    }
  });

  it('still waits for a writer in flight beside a long transaction that writes none: order kept', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('horizon-writer', start);
    const { heard, unsubscribe } = listen('horizon-writer-');
    const long = bystander();
    try {
      await long.opened;
      const early = caseActivity('writer');
      const late = caseActivity('writer');
      const writer = heldTransaction((trx) => insertActivity(trx, early));
      await writer.opened;
      await write(late);

      const page = await app.activities.listAfter({ after: start, publicOnly: false, limit: 100 });
      expect(page.activities.filter((a) => a.objectId.startsWith('horizon-writer-'))).toEqual([]);
      expect(page.blocked).toBe(true);
      const consumed: string[] = [];
      expect(await consumeAll('horizon-writer', 'horizon-writer-', consumed)).toMatchObject({ blocked: true });
      const poked = app.activities.poke();
      writer.release();
      await writer.done;
      await poked;
      expect(heard).toEqual([early.objectId, late.objectId]);
      await consumeAll('horizon-writer', 'horizon-writer-', consumed);
      expect(consumed).toEqual([early.objectId, late.objectId]);
    } finally {
      long.release();
      await long.done;
      unsubscribe();
    }
  });

  it('hands out what commits beside a writer that has taken the lock but written nothing yet; its own comes after', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor('horizon-idle-writer', start);
    const { heard, unsubscribe } = listen('horizon-idle-');
    const writer = heldTransaction((trx) => takeOutboxLock(trx));
    try {
      const trx = await writer.opened;
      const first = caseActivity('idle');
      const second = caseActivity('idle');
      await write(first);
      await app.activities.poke();
      expect(heard).toEqual([first.objectId]);
      // Its xid comes now, after the reader has passed `first`: its activity comes after it.
      await insertActivity(trx, second);
      writer.release();
      await writer.done;
      await app.activities.poke();
      expect(heard).toEqual([first.objectId, second.objectId]);
      const consumed: string[] = [];
      await consumeAll('horizon-idle-writer', 'horizon-idle-', consumed);
      expect(consumed).toEqual([first.objectId, second.objectId]);
    } finally {
      writer.release();
      await writer.done;
      unsubscribe();
    }
  });
});

describe('the outbox writers’ lock', () => {
  it('refuses an activity in a transaction that wrote before taking it: nothing is written', async () => {
    const db = app.database.kysely;
    const before = await latestActivityId(db);
    const wroteFirst = (then: (trx: OutboxTransaction) => Promise<unknown>) =>
      db.transaction().execute(async (trx) => {
        // What any write does: the transaction gets an xid.
        await sql`select pg_current_xact_id()`.execute(trx);
        await then(trx);
      });
    await expect(wroteFirst((trx) => insertActivity(trx, caseActivity('refused')))).rejects.toThrow(
      /outbox writers' lock was taken after transaction \d+ had written/,
    );
    await expect(wroteFirst((trx) => takeOutboxLock(trx))).rejects.toThrow(/take it first/);
    expect(await latestActivityId(db)).toBe(before);
  });

  it('is taken by the first activity of a transaction that has written nothing yet, and held to its end', async () => {
    const held = await app.database.kysely.transaction().execute(async (trx) => {
      await insertActivity(trx, caseActivity('first'));
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks
        where pid = pg_backend_pid() and locktype = 'advisory' and objid = 7331004 and mode = 'ShareLock'`.execute(trx);
      return rows[0]!.n;
    });
    expect(held).toBe(1);
  });
});
