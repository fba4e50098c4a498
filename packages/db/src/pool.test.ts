/**
 * The pool keeps `poolKeep` connections open when idle (DB_POOL_KEEP): after a quiet spell longer
 * than the idle time, requests find the same connections (the same PostgreSQL backends) and need no
 * new one; connections above that number close as before.
 */
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createDatabase, type Database } from './database.ts';

const url = process.env.OPSI_TEST_DATABASE_URL!;
const open: Database[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

/** `count` connections held at once; the backend pid of each; all given back. */
async function backendsAtOnce(pool: pg.Pool, count: number): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  try {
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid),
    );
    return pids;
  } finally {
    for (const c of clients) c.release();
  }
}

describe('the PostgreSQL pool', () => {
  it('keeps poolKeep connections open past the idle time, and closes the others', async () => {
    const database = await createDatabase({
      databaseUrl: url,
      dataDir: tmpdir(),
      poolSize: 3,
      poolKeep: 2,
      idleMs: 50,
    });
    open.push(database);
    const pool = database.pool!;
    let connected = 0;
    pool.on('connect', () => (connected += 1));

    // Listened for before the connections go idle: the idle time is short.
    const removed = once(pool, 'remove');
    const first = await backendsAtOnce(pool, 3);
    expect(new Set(first).size).toBe(3);
    expect(connected).toBe(3);
    // The idle time has passed once one of them closed.
    await removed;
    expect(pool.totalCount).toBe(2);

    const later = await backendsAtOnce(pool, 2);
    expect(connected).toBe(3);
    expect(first).toEqual(expect.arrayContaining(later));
    expect(new Set(later).size).toBe(2);
  });

  it('keeps every connection unless told otherwise, and closes them all when closed', async () => {
    const database = await createDatabase({ databaseUrl: url, dataDir: tmpdir(), poolSize: 4 });
    open.push(database); // closed again after the test if an expectation fails first: a no-op then
    const pool = database.pool!;
    expect(pool.options).toMatchObject({ max: 4, min: 4 });
    await backendsAtOnce(pool, 2);
    expect(pool.idleCount).toBe(2);
    // Closed without Kysely ever running a query (Kysely ends the pool only then).
    await database.close();
    expect(pool.totalCount).toBe(0);
  });
});
