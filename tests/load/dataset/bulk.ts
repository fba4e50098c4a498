/** Bulk loading: a table's secondary indexes dropped while it is filled, then built once. */
import type pg from 'pg';

/**
 * Runs `fill` with the secondary indexes of `tables` dropped (those not backing a constraint: the
 * primary keys stay), then creates them again exactly as they were (pg_indexes' definitions).
 * Building an index once over a million rows is many times faster than updating it row by row.
 */
export async function withoutIndexes<T>(client: pg.Client, tables: string[], fill: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `select i.indexname, i.indexdef from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1::text[])
       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
     order by i.indexname`,
    [tables],
  );
  for (const r of rows) await client.query(`drop index ${r.indexname}`);
  const result = await fill();
  for (const r of rows) await client.query(r.indexdef);
  return result;
}

/** Foreign keys are not checked row by row while `fill` runs (the generator writes them consistent). */
export async function withoutForeignKeyChecks<T>(client: pg.Client, fill: () => Promise<T>): Promise<T> {
  await client.query('set local session_replication_role = replica');
  try {
    return await fill();
  } finally {
    await client.query('set local session_replication_role = origin');
  }
}

/** Throws unless `table` holds exactly the ids 1..count (the generator relies on it). */
export async function expectIds(client: pg.Client, table: string, count: number): Promise<void> {
  const { rows } = await client.query<{ n: number; lo: string; hi: string }>(
    `select count(*)::int as n, min(id)::text as lo, max(id)::text as hi from ${table}`,
  );
  const r = rows[0]!;
  if (r.n !== count || r.lo !== '1' || r.hi !== String(count)) {
    throw new Error(`${table}: expected ids 1..${count} in an empty database, found ${r.n} rows (${r.lo}..${r.hi})`);
  }
}
