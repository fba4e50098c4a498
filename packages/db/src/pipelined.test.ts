/**
 * A transaction of statements known in advance goes out in one round trip on PostgreSQL (every
 * statement and the commit sent before the first answer), all or nothing, and leaves its
 * connection fit for the next user; without a known pool it runs the same statements one by one.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from './database.ts';
import { pipelinedTransaction } from './pipelined.ts';
import { recordingWire } from './testing-wire.ts';

const url = process.env.OPSI_TEST_DATABASE_URL!;
const table = `pipelined_${process.pid}`;
let database: Database;
/** Another process's view: what it sees was committed. */
let other: pg.Client;

beforeAll(async () => {
  // One connection: every test below finds the one the test before it left.
  database = await createDatabase({ databaseUrl: url, dataDir: tmpdir(), poolSize: 1 });
  await sql`create table ${sql.table(table)} (n int primary key,
    twin int unique deferrable initially deferred)`.execute(database.kysely);
  other = new pg.Client({ connectionString: url });
  await other.connect();
});
afterAll(async () => {
  await sql`drop table if exists ${sql.table(table)}`.execute(database.kysely);
  await other.end();
  await database.close();
});

const insert = (n: number | string, twin: number | null = null) =>
  CompiledQuery.raw(`insert into ${table} (n, twin) values ($1::int, $2::int) returning n`, [n, twin]);
const committed = async () =>
  (await other.query<{ n: number }>(`select n from ${table} order by n`)).rows.map((r) => r.n);
const clear = () => other.query(`delete from ${table}`);

/** The statements sent and answered while `run` runs, in order. */
async function recording<T>(run: () => Promise<T>): Promise<{ result: T; events: string[] }> {
  const { result, events } = await recordingWire(run);
  return { result, events: events.map((e) => e.event) };
}

describe('a pipelined transaction on PostgreSQL', () => {
  it('sends every statement and the commit before the first answer, and answers each one’s rows', async () => {
    await clear();
    const { result, events } = await recording(() =>
      pipelinedTransaction(database.kysely, [
        insert(1),
        insert(2),
        CompiledQuery.raw(`select count(*)::int as c from ${table}`),
      ]),
    );
    expect(result).toEqual([[{ n: 1 }], [{ n: 2 }], [{ c: 2 }]]);
    const firstAnswer = events.findIndex((e) => e.startsWith('answered'));
    const sends = events.filter((e) => e.startsWith('sent'));
    // `begin` on its own (the first statement has parameters: @opsi/db/lazy-begin), the three, `commit`.
    expect(sends).toHaveLength(5);
    expect([sends[0], sends.at(-1)]).toEqual(['sent begin', 'sent commit']);
    expect(events.slice(0, firstAnswer)).toEqual(sends);
    expect(await committed()).toEqual([1, 2]);
  });

  it('writes nothing when a statement fails, throws that failure, and leaves the connection outside any transaction', async () => {
    await clear();
    const failure = await pipelinedTransaction(database.kysely, [insert(3), insert('three'), insert(4)]).catch(
      (error: unknown) => error,
    );
    expect((failure as { code?: string }).code).toBe('22P02');
    expect(await committed()).toEqual([]);
    // The same (only) connection: not in a transaction, so this commits at once.
    await sql`insert into ${sql.table(table)} (n) values (5)`.execute(database.kysely);
    expect(await committed()).toEqual([5]);
  });

  it('throws the failure of a commit (a deferred constraint) and writes nothing', async () => {
    await clear();
    const failure = await pipelinedTransaction(database.kysely, [insert(6, 1), insert(7, 1)]).catch(
      (error: unknown) => error,
    );
    expect((failure as { code?: string }).code).toBe('23505');
    expect(await committed()).toEqual([]);
    expect(await pipelinedTransaction(database.kysely, [insert(8, 1)])).toEqual([[{ n: 8 }]]);
    expect(await committed()).toEqual([8]);
  });

  it('drops a connection cut before its commit was answered; the pool opens another', async () => {
    await clear();
    const failure = await pipelinedTransaction(database.kysely, [
      insert(9),
      CompiledQuery.raw('select pg_terminate_backend(pg_backend_pid())'),
    ]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(await committed()).toEqual([]);
    expect(await pipelinedTransaction(database.kysely, [insert(10)])).toEqual([[{ n: 10 }]]);
    expect(await committed()).toEqual([10]);
  });
});

describe('without a known pool (a Kysely with a plugin)', () => {
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => args.result,
  };

  it('runs the same statements one after another with the same result, all or nothing', async () => {
    await clear();
    const kysely = database.kysely.withPlugin(plugin);
    const { result, events } = await recording(() => pipelinedTransaction(kysely, [insert(11), insert(12)]));
    expect(result).toEqual([[{ n: 11 }], [{ n: 12 }]]);
    // One statement answered before the next leaves.
    const inserts = events.filter((e) => e.includes(`insert into ${table}`));
    expect(inserts).toEqual([
      expect.stringMatching(/^sent /),
      expect.stringMatching(/^answered /),
      expect.stringMatching(/^sent /),
      expect.stringMatching(/^answered /),
    ]);
    const failure = await pipelinedTransaction(kysely, [insert(13), insert('x')]).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('22P02');
    expect(await committed()).toEqual([11, 12]);
  });
});
