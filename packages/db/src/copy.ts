/**
 * Copies every row of one database into another of the same schema (`npm run admin -- migrate-to`:
 * from the embedded database to an empty PostgreSQL). The target is migrated first, then, in one
 * transaction on it, every table is copied in the order its foreign keys need (rows in primary-key
 * order, so a reply follows its parent), and every sequence is set where the source's stands.
 * Rows travel as PostgreSQL's own JSON text (json_agg on the source, json_populate_recordset on the
 * target): timestamps keep their microseconds, numbers their digits, bytes their bytes. Generated
 * columns are left to the target to compute. A target with rows of its own is refused.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import { migrateToLatest } from './migrator.ts';
import { BackupError } from './backup.ts';

/** Rows the migrations write themselves (replaced by the source's), and Kysely's bookkeeping. */
const WRITTEN_BY_MIGRATIONS = new Set(['kysely_migration', 'kysely_migration_lock', 'outbox_cursors']);
const BATCH_ROWS = 1_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table, by name
type AnyDb = Kysely<any>;

interface Table {
  name: string;
  /** The columns the copy writes (not the generated ones), in order. */
  columns: string[];
  /** What rows are read in: the primary key, or every column. */
  orderBy: string[];
}

export interface CopyReport {
  tables: { name: string; rows: number }[];
  sequences: number;
}

async function tableNames(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_catalog.pg_tables where schemaname = 'public' order by tablename`.execute(db);
  return rows.map((r) => r.name);
}

/** Tables with at least one row (Kysely's and the migrations' own rows aside). */
export async function tablesWithRows(db: AnyDb): Promise<string[]> {
  const found: string[] = [];
  for (const name of await tableNames(db)) {
    if (WRITTEN_BY_MIGRATIONS.has(name)) continue;
    const { rows } = await sql<{ any: boolean }>`select exists (select 1 from ${sql.table(name)}) as any`.execute(db);
    if (rows[0]?.any) found.push(name);
  }
  return found;
}

async function describe(db: AnyDb, name: string): Promise<Table> {
  const { rows: columns } = await sql<{ name: string }>`
    select attname as name from pg_catalog.pg_attribute
    where attrelid = ${`public.${name}`}::regclass and attnum > 0 and not attisdropped and attgenerated = ''
    order by attnum`.execute(db);
  const { rows: key } = await sql<{ name: string }>`
    select a.attname as name
    from pg_catalog.pg_index i
    join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
    where i.indrelid = ${`public.${name}`}::regclass and i.indisprimary
    order by k.position`.execute(db);
  const names = columns.map((c) => c.name);
  return { name, columns: names, orderBy: key.length ? key.map((k) => k.name) : names };
}

/** The tables in an order where every foreign key points at a table already copied (self-references aside). */
async function dependencyOrder(db: AnyDb): Promise<string[]> {
  const names = (await tableNames(db)).filter((n) => n !== 'kysely_migration' && n !== 'kysely_migration_lock');
  const { rows: edges } = await sql<{ child: string; parent: string }>`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_catalog.pg_constraint c
    join pg_catalog.pg_namespace n on n.oid = c.connamespace
    where c.contype = 'f' and n.nspname = 'public'`.execute(db);
  const needs = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of edges) if (child !== parent) needs.get(child)?.add(parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const ready = names.filter((n) => !placed.has(n) && [...needs.get(n)!].every((p) => placed.has(p)));
    if (!ready.length)
      throw new BackupError(`Foreign keys form a cycle among: ${names.filter((n) => !placed.has(n)).join(', ')}`);
    for (const n of ready) {
      placed.add(n);
      ordered.push(n);
    }
  }
  return ordered;
}

async function copyTable(source: AnyDb, target: AnyDb, table: Table): Promise<number> {
  const columns = sql.join(table.columns.map((c) => sql.id(c)));
  const order = sql.join(table.orderBy.map((c) => sql.id(c)));
  let copied = 0;
  for (;;) {
    const { rows } = await sql<{ rows: string; n: number }>`
      select coalesce(json_agg(t), '[]')::text as rows, count(*)::int as n
      from (select ${columns} from ${sql.table(table.name)} order by ${order} limit ${BATCH_ROWS} offset ${copied}) t`.execute(
      source,
    );
    const batch = rows[0]!;
    if (batch.n === 0) return copied;
    await sql`
      insert into ${sql.table(table.name)} (${columns}) overriding system value
      select ${columns} from json_populate_recordset(null::${sql.table(table.name)}, ${batch.rows}::json)`.execute(
      target,
    );
    copied += batch.n;
    if (batch.n < BATCH_ROWS) return copied;
  }
}

async function copySequences(source: AnyDb, target: AnyDb): Promise<number> {
  const { rows: sequences } = await sql<{ name: string }>`
    select sequencename as name from pg_catalog.pg_sequences where schemaname = 'public'`.execute(source);
  for (const { name } of sequences) {
    const { rows } = await sql<{ last: string; called: boolean }>`
      select last_value::text as last, is_called as called from ${sql.table(name)}`.execute(source);
    const state = rows[0]!;
    await sql`select setval(${`public.${name}`}::regclass, ${state.last}::bigint, ${state.called})`.execute(target);
  }
  return sequences.length;
}

async function count(db: AnyDb, name: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
  return rows[0]!.n;
}

/**
 * Copies `source` (migrated to the latest schema) into `target` (a PostgreSQL with no rows of its
 * own). `progress` hears of each table once copied.
 */
export async function copyDatabase(
  source: Database,
  target: Database,
  progress: (table: string, rows: number) => void = () => undefined,
): Promise<CopyReport> {
  const busy = await tablesWithRows(target.kysely);
  if (busy.length) {
    throw new BackupError(
      `The target database is not empty (rows in ${busy.slice(0, 5).join(', ')}${busy.length > 5 ? ', …' : ''}): ` +
        'migrate-to copies into an empty database only (create a new one, or drop and create it again).',
    );
  }
  await migrateToLatest(target.kysely);
  const tables = await Promise.all((await dependencyOrder(source.kysely)).map((n) => describe(source.kysely, n)));
  return target.kysely.transaction().execute(async (trx) => {
    for (const name of WRITTEN_BY_MIGRATIONS) {
      if (tables.some((t) => t.name === name)) await sql`delete from ${sql.table(name)}`.execute(trx);
    }
    const report: CopyReport = { tables: [], sequences: 0 };
    for (const table of tables) {
      const rows = await copyTable(source.kysely, trx, table);
      const landed = await count(trx, table.name);
      if (landed !== rows) throw new BackupError(`${table.name}: ${rows} rows read, ${landed} in the target`);
      report.tables.push({ name: table.name, rows });
      progress(table.name, rows);
    }
    report.sequences = await copySequences(source.kysely, trx);
    return report;
  });
}
