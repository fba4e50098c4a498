/**
 * The outbox's horizon counts only the transactions that write activities (those that took the
 * outbox writers' lock before they had an xid): a long transaction that writes none (the notifier
 * writing a post's 20,000 notifications) holds back no reader, while a writer in flight still
 * does. And a transaction that wrote before taking the lock cannot write an activity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { OUTBOX_WRITERS_LOCK } from '@opsi/db/outbox-lock';
import { createTestApp, signUp, writePost } from '../../testing.ts';
import {
  caseActivities,
  consumeAll,
  consumeSettled,
  heldTransaction,
  listen,
  listSettled,
  newCursor,
} from '../../testing-outbox.ts';
import type { Activity, NewActivity } from './catalogue.ts';
import {
  consumeActivities,
  insertActivity,
  latestActivityId,
  takeOutboxLock,
  writerTransaction,
  type OutboxTransaction,
} from './repository.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

const caseActivity = caseActivities('horizon');

/** A transaction that writes no activity but has an xid (as if it had written), like the notifier's. */
const bystander = () =>
  heldTransaction(app, async (trx) => {
    const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx);
    expect(rows[0]!.xid).toMatch(/^\d+$/);
  });

/** The objectIds of activities heard. */
const ids = (heard: Activity[]) => heard.map((a) => a.objectId);

const write = (activity: NewActivity) => writerTransaction(app.database.kysely, (trx) => insertActivity(trx, activity));

describe('the outbox horizon', () => {
  it('hands out an activity committed while a long transaction that writes none is still open', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor(app, 'horizon-bystander', start);
    const { heard, unsubscribe } = listen(app, 'horizon-bystander-');
    const held = bystander();
    try {
      await held.opened;
      const activity = caseActivity('bystander');
      await write(activity);
      // The poke resolves with the activity handed out, the long transaction still open.
      await app.activities.poke();
      expect(ids(heard)).toEqual([activity.objectId]);
      const page = await listSettled(app, { after: start, publicOnly: false, limit: 100 });
      expect(page.blocked).toBe(false);
      expect(page.activities.map((a) => a.objectId)).toContain(activity.objectId);
      const consumed: string[] = [];
      expect(await consumeSettled(app, 'horizon-bystander', 'horizon-bystander-', consumed)).toMatchObject({
        blocked: false,
      });
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
    await newCursor(app, 'horizon-batch', start);
    const { heard, unsubscribe } = listen(app, 'horizon-batch-');
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
      expect(ids(heard)).toEqual([activity.objectId]);
    } finally {
      release();
      await batch;
      unsubscribe();
    }
    // The batch read nothing of it (it began before), so the cursor hands it out next.
    const consumed: string[] = [];
    await consumeSettled(app, 'horizon-batch', 'horizon-batch-', consumed);
    expect(consumed).toHaveLength(1);
  });

  it('answers a post (its activity handed out) while a long transaction that writes none is open', async () => {
    const member = await signUp(app);
    const { heard, unsubscribe } = listen(app, '');
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
      expect(ids(heard)).toContain(post.id);
    } finally {
      held.release();
      await held.done;
      unsubscribe();
    }
  });

  it('does not wait for a writer in flight in another database of the same server', async () => {
    // Transaction ids and pg_locks span the server; the outbox lock of another database is its own.
    const other = new URL(process.env.OPSI_TEST_DATABASE_URL!);
    other.pathname = '/postgres';
    const client = new pg.Client({ connectionString: other.toString() });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock_shared($1::bigint)', [OUTBOX_WRITERS_LOCK]);
      await client.query('select pg_current_xact_id()');
      await app.activities.poke();
      const start = app.activities.position();
      const { heard, unsubscribe } = listen(app, 'horizon-elsewhere-');
      try {
        const activity = caseActivity('elsewhere');
        await write(activity);
        const page = await listSettled(app, { after: start, publicOnly: false, limit: 100 });
        expect(page.blocked).toBe(false);
        expect(page.activities.map((a) => a.objectId)).toContain(activity.objectId);
        await app.activities.poke();
        expect(ids(heard)).toEqual([activity.objectId]);
      } finally {
        unsubscribe();
      }
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  it('still waits for a writer in flight beside a long transaction that writes none: order kept', async () => {
    await app.activities.poke();
    const start = app.activities.position();
    await newCursor(app, 'horizon-writer', start);
    const { heard, unsubscribe } = listen(app, 'horizon-writer-');
    const long = bystander();
    try {
      await long.opened;
      const early = caseActivity('writer');
      const late = caseActivity('writer');
      const writer = heldTransaction(app, (trx) => insertActivity(trx, early));
      await writer.opened;
      await write(late);

      const page = await app.activities.listAfter({ after: start, publicOnly: false, limit: 100 });
      expect(page.activities.filter((a) => a.objectId.startsWith('horizon-writer-'))).toEqual([]);
      expect(page.blocked).toBe(true);
      const consumed: string[] = [];
      expect(await consumeAll(app, 'horizon-writer', 'horizon-writer-', consumed)).toMatchObject({ blocked: true });
      const poked = app.activities.poke();
      writer.release();
      await writer.done;
      await poked;
      expect(ids(heard)).toEqual([early.objectId, late.objectId]);
      await consumeSettled(app, 'horizon-writer', 'horizon-writer-', consumed);
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
    await newCursor(app, 'horizon-idle-writer', start);
    const { heard, unsubscribe } = listen(app, 'horizon-idle-');
    const writer = heldTransaction(app, (trx) => takeOutboxLock(trx));
    try {
      const trx = await writer.opened;
      const first = caseActivity('idle');
      const second = caseActivity('idle');
      await write(first);
      await app.activities.poke();
      expect(ids(heard)).toEqual([first.objectId]);
      // Its xid comes now, after the reader has passed `first`: its activity comes after it.
      await insertActivity(trx, second);
      writer.release();
      await writer.done;
      await app.activities.poke();
      expect(ids(heard)).toEqual([first.objectId, second.objectId]);
      const consumed: string[] = [];
      await consumeSettled(app, 'horizon-idle-writer', 'horizon-idle-', consumed);
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

  it('refuses an activity in a cursor’s batch (which holds its row first): a consumer stays out of the horizon', async () => {
    await app.activities.poke();
    await newCursor(app, 'horizon-consumer-writes', app.activities.position());
    const before = await latestActivityId(app.database.kysely);
    await expect(
      consumeActivities(
        app.database.kysely,
        'horizon-consumer-writes',
        10,
        (trx) => insertActivity(trx, caseActivity('consumer')),
        () => undefined,
      ),
    ).rejects.toThrow(/take it first/);
    expect(await latestActivityId(app.database.kysely)).toBe(before);
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
