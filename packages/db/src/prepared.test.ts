/**
 * Hot statements prepared per connection: a text sent `after` times becomes a named statement on
 * the connection that sends it next (seen in pg_prepared_statements), at most `max` of them; the
 * results are the same; a prepared `select *` whose columns a migration changed fails once, then
 * goes on under a new name; 0 prepares nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { mayPrepare, preparingClient, type PreparingOptions } from './prepared.ts';

const url = process.env.OPSI_TEST_DATABASE_URL!;
const open: pg.Client[] = [];

async function connect(options: PreparingOptions): Promise<pg.Client> {
  const Client = preparingClient(options);
  const client = new Client({ connectionString: url });
  await client.connect();
  open.push(client);
  return client;
}

async function prepared(client: pg.Client): Promise<string[]> {
  // No parameters: sent by the simple protocol, never prepared itself.
  const { rows } = await client.query<{ statement: string }>(
    'select statement from pg_prepared_statements order by statement',
  );
  return rows.map((r) => r.statement);
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.end()));
});

describe('preparingClient', () => {
  it('prepares a text once it was sent `after` times, and returns what an unnamed statement does', async () => {
    const client = await connect({ max: 10, after: 3 });
    const text = 'select $1::int + 1 as n';
    for (let i = 1; i <= 2; i += 1) {
      expect((await client.query(text, [i])).rows).toEqual([{ n: i + 1 }]);
    }
    expect(await prepared(client)).toEqual([]);
    for (let i = 3; i <= 6; i += 1) {
      expect((await client.query(text, [i])).rows).toEqual([{ n: i + 1 }]);
    }
    expect(await prepared(client)).toEqual([text]);
  });

  it('answers callers that pass a callback (pg.Pool#query does) the same way', async () => {
    const client = await connect({ max: 10, after: 1 });
    const text = 'select $1::text as s';
    const result = await new Promise<pg.QueryResult>((resolve, reject) =>
      client.query(text, ['a'], (error: Error | null, r: pg.QueryResult) => (error ? reject(error) : resolve(r))),
    );
    expect(result.rows).toEqual([{ s: 'a' }]);
    expect(await prepared(client)).toEqual([text]);
    const failed = await new Promise<Error | null>((resolve) =>
      client.query('select 1 / $1::int as n', [0], (error: Error | null) => resolve(error)),
    );
    expect(failed?.message).toMatch(/division by zero/);
  });

  it('prepares at most `max` statements on a connection; the others go unnamed', async () => {
    const client = await connect({ max: 2, after: 1 });
    const texts = ['select $1::int as a', 'select $1::int as b', 'select $1::int as c'];
    for (const text of texts) {
      await client.query(text, [1]);
      await client.query(text, [2]);
    }
    expect(await prepared(client)).toEqual(texts.slice(0, 2));
    expect((await client.query(texts[2]!, [7])).rows).toEqual([{ c: 7 }]);
  });

  it('prepares nothing with max 0, nor statements without parameters', async () => {
    const none = await connect({ max: 0, after: 1 });
    await none.query('select $1::int as n', [1]);
    await none.query('select $1::int as n', [1]);
    expect(await prepared(none)).toEqual([]);
    const client = await connect({ max: 10, after: 1 });
    await client.query('select 1 as n');
    await client.query('select 1 as n');
    expect(await prepared(client)).toEqual([]);
  });

  it('goes on under new names after a migration changed the columns of a prepared select *', async () => {
    const client = await connect({ max: 10, after: 1 });
    const table = `prepared_${process.pid}_${Date.now()}`;
    await client.query(`create table ${table} (a int)`);
    await client.query(`insert into ${table} values (1)`);
    const text = `select * from ${table} where a = $1`;
    expect((await client.query(text, [1])).rows).toEqual([{ a: 1 }]);
    await client.query(`alter table ${table} add column b int default 2`);
    // PostgreSQL refuses the prepared statement once (its result type changed)...
    await expect(client.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
    // ...then the text is prepared again under a new name, and answers with the new column.
    expect((await client.query(text, [1])).rows).toEqual([{ a: 1, b: 2 }]);
    expect((await client.query(text, [1])).rows).toEqual([{ a: 1, b: 2 }]);
    await client.query(`drop table ${table}`);
  });

  it('never prepares an ON CONFLICT whose target has a WHERE with a parameter (a generic plan cannot find the index)', async () => {
    const client = await connect({ max: 10, after: 1 });
    const table = `conflict_${process.pid}_${Date.now()}`;
    await client.query(`create table ${table} (a int, open boolean)`);
    await client.query(`create unique index on ${table} (a) where open`);
    const text = `insert into ${table} (a, open) values ($1, true) on conflict (a) where open = $2 do nothing`;
    for (let i = 0; i < 7; i += 1) await client.query(text, [1, true]);
    expect(await prepared(client)).toEqual([]);
    // Prepared, with the generic plan PostgreSQL's own rule may choose after five executions, the
    // same statement fails: what the rule above avoids.
    await client.query('set plan_cache_mode = force_generic_plan');
    await expect(client.query({ name: 'conflict_probe', text, values: [1, true] })).rejects.toThrow(
      /no unique or exclusion constraint matching the ON CONFLICT specification/,
    );
    // With the predicate written as a literal (as moderation's insertReport now does), the generic plan finds it.
    const literal = `insert into ${table} (a, open) values ($1, true) on conflict (a) where open = true do nothing`;
    for (let i = 0; i < 3; i += 1) await client.query(literal, [2]);
    expect(await prepared(client)).toContain(literal);
    await client.query(`drop table ${table}`);
  });

  it('tells which texts may be prepared', () => {
    expect(mayPrepare('select * from t where a = $1')).toBe(true);
    expect(mayPrepare('insert into t (a) values ($1) on conflict (a) do nothing')).toBe(true);
    expect(mayPrepare('insert into t (a) values ($1) on conflict (a) where open do update set b = $2')).toBe(true);
    expect(
      mayPrepare(
        'insert into "reports" ("reporter_id") values ($1) on conflict ("reporter_id", "target_type") where "status" = $7 do nothing',
      ),
    ).toBe(false);
  });
});
