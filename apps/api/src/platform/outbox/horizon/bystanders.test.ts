/**
 * The horizon leaves out the transactions it sees running without the outbox writers' lock
 * (bystanders). A writer must never be one of them, least of all while it commits: a committing
 * backend clears its local transaction id while it still holds its locks, and `pg_locks` reads it
 * per row, so a writer's two locks matched by `virtualtransaction` could show two ids, and the
 * readers passed over its activities (CI once found the bus without them, in concurrent.test).
 * They are matched by pid. A race: checked on many reads beside 8 writers committing at once.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appForFile } from '../../../testing.ts';
import { caseActivities, heldTransaction } from '../../../testing-outbox.ts';
import { bystanderXids } from './repository.ts';
import { insertActivity } from '../repository.ts';

const app = await appForFile({ ABUSE_LIMITS: 'off' });
const activity = caseActivities('bystanders');
const db = app.database.kysely;
const xidOf = async (trx: Parameters<typeof insertActivity>[0]) =>
  (await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(trx)).rows[0]!.x;

describe('the horizon’s bystanders', () => {
  it('are the transactions with an xid and without the writers’ lock, and only those', async () => {
    const bystander = heldTransaction(app, async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
    });
    let writerXid = '';
    const writer = heldTransaction(app, async (trx) => {
      await insertActivity(trx, activity('held'));
      writerXid = await xidOf(trx);
    });
    try {
      const [trx] = await Promise.all([bystander.opened, writer.opened]);
      const bystanderXid = await xidOf(trx);
      // A transaction that ends after both took their xids: the snapshot's xmax passes them, so they
      // are in its list of transactions in flight.
      await db.transaction().execute((t) => xidOf(t));
      const seen = await bystanderXids(db);
      expect(seen).toContain(bystanderXid);
      expect(seen).not.toContain(writerXid);
    } finally {
      bystander.release();
      writer.release();
      await Promise.all([bystander.done, writer.done]);
    }
  });

  it('never count a writer, even one committing while the lock table is read', async () => {
    const writerXids = new Set<string>();
    let writing = true;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let k = 0; writing; k += 1) {
        await db.transaction().execute(async (trx) => {
          await insertActivity(trx, activity('w'));
          writerXids.add(await xidOf(trx));
          if ((w + k) % 3 === 0) await insertActivity(trx, activity('w'));
        });
      }
    });
    const taken: string[] = [];
    try {
      for (let i = 0; i < 1500; i += 1) taken.push(...(await bystanderXids(db)));
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(writerXids.size).toBeGreaterThan(100);
    expect(taken.filter((xid) => writerXids.has(xid))).toEqual([]);
  });
});
