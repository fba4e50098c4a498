/**
 * `begin` goes out with the transaction's first statement when that has no parameters (one
 * message), before it otherwise, and not at all when nothing follows it; the statements run inside
 * the transaction exactly as before, failures included (real PostgreSQL).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lazyBegin } from './lazy-begin.ts';

const url = process.env.OPSI_TEST_DATABASE_URL!;
const open: { end(): Promise<void> }[] = [];

/** What the connection sent, one entry per message (the text of each query pg was given). */
class Recording extends pg.Client {
  sent: string[] = [];
  override query(...args: unknown[]): never {
    const first = args[0];
    this.sent.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

/** A connection through lazyBegin over Recording, typed as pg's client (its query overloads) with `sent`. */
async function connect(): Promise<pg.Client & { sent: string[] }> {
  const client = new (lazyBegin(Recording))({ connectionString: url }) as pg.Client & { sent: string[] };
  await client.connect();
  open.push(client);
  return client;
}

/** Whether another connection can take advisory lock `key` now (false while a transaction holds it). */
async function lockFree(key: number): Promise<boolean> {
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  try {
    const { rows } = await other.query<{ free: boolean }>('select pg_try_advisory_lock($1) as free', [key]);
    if (rows[0]!.free) await other.query('select pg_advisory_unlock($1)', [key]);
    return rows[0]!.free;
  } finally {
    await other.end();
  }
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.end()));
});

describe('lazyBegin', () => {
  it('sends begin with a first statement that has no parameters, in one message, inside the transaction', async () => {
    const client = await connect();
    const begun = await client.query('begin');
    expect(begun.command).toBe('BEGIN');
    expect(client.sent).toEqual([]);
    const locked = await client.query('select pg_advisory_xact_lock(7331999) as locked, 2 as n');
    expect(locked.rows).toEqual([{ locked: '', n: 2 }]);
    expect(client.sent).toEqual(['begin;\nselect pg_advisory_xact_lock(7331999) as locked, 2 as n']);
    // Held to the transaction's end, as a lock taken after a begin of its own.
    expect(await lockFree(7331999)).toBe(false);
    await client.query('create temporary table lazy_seen (n int)');
    await client.query('insert into lazy_seen values ($1)', [1]);
    await client.query('rollback');
    expect(await lockFree(7331999)).toBe(true);
    const { rows } = await client.query("select to_regclass('pg_temp.lazy_seen') as t");
    expect(rows).toEqual([{ t: null }]);
  });

  it('sends begin before a first statement that has parameters, and commits what it wrote', async () => {
    const client = await connect();
    await client.query('create temporary table lazy_kept (n int)');
    client.sent = [];
    await client.query('begin');
    const inserted = await client.query('insert into lazy_kept values ($1), ($2) returning n', [1, 2]);
    expect(inserted.rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await client.query('select pg_current_xact_id_if_assigned() is not null as inside')).rows).toEqual([
      { inside: true },
    ]);
    const committed = await client.query('commit');
    expect(committed.command).toBe('COMMIT');
    expect(client.sent).toEqual([
      'begin',
      'insert into lazy_kept values ($1), ($2) returning n',
      'select pg_current_xact_id_if_assigned() is not null as inside',
      'commit',
    ]);
    expect((await client.query('select count(*)::int as n from lazy_kept')).rows).toEqual([{ n: 2 }]);
  });

  it('answers commit and rollback with nothing sent since begin without a round trip', async () => {
    const client = await connect();
    await client.query('begin');
    expect((await client.query('commit')).command).toBe('COMMIT');
    await client.query('BEGIN;');
    expect((await client.query('ROLLBACK')).command).toBe('ROLLBACK');
    expect(client.sent).toEqual([]);
    // Not left in a transaction: the next statement runs on its own.
    expect((await client.query('select pg_current_xact_id_if_assigned() as x')).rows).toEqual([{ x: null }]);
  });

  it('leaves a failed first statement to the rollback, as before (an error inside, or a text that does not parse)', async () => {
    const client = await connect();
    await client.query('begin');
    await expect(client.query('select 1 / 0')).rejects.toThrow(/division by zero/);
    await expect(client.query('select 1')).rejects.toThrow(/current transaction is aborted/);
    await client.query('rollback');
    await client.query('begin');
    await expect(client.query('selec 1')).rejects.toThrow(/syntax error/);
    await client.query('rollback');
    expect((await client.query('select 3 as n')).rows).toEqual([{ n: 3 }]);
  });

  it("answers a text of several statements with pg's list of their results, begin's left out", async () => {
    const client = await connect();
    await client.query('begin');
    const results = (await client.query('select 1 as a; select 2 as b')) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    await client.query('rollback');
  });

  it('answers callers that pass a callback the same way', async () => {
    const client = await connect();
    const ask = (text: string) =>
      new Promise<pg.QueryResult>((resolve, reject) =>
        client.query(text, (error: Error | null, r: pg.QueryResult) => (error ? reject(error) : resolve(r))),
      );
    expect((await ask('begin')).command).toBe('BEGIN');
    expect((await ask('select 4 as n')).rows).toEqual([{ n: 4 }]);
    expect((await ask('commit')).command).toBe('COMMIT');
    expect(client.sent).toEqual(['begin;\nselect 4 as n', 'commit']);
  });

  it("runs Kysely's transactions as before: their statements and results, commit and rollback", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, Client: lazyBegin(Recording) });
    const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
    open.push({ end: () => db.destroy() });
    await sql`create table if not exists lazy_kysely (n int)`.execute(db);
    await sql`truncate lazy_kysely`.execute(db);
    const inside = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ x: string | null }>`select pg_current_xact_id_if_assigned()::text as x`.execute(trx);
      await sql`insert into lazy_kysely values (${5})`.execute(trx);
      return rows[0]!.x;
    });
    expect(inside).toBeNull();
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into lazy_kysely values (6)`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await sql<{ n: number }>`select n from lazy_kysely order by n`.execute(db);
    expect(rows).toEqual([{ n: 5 }]);
    await sql`drop table lazy_kysely`.execute(db);
  });
});
