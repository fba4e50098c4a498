/**
 * The outbox's horizon in SQL (see ActivityPosition in ../repository.ts): the oldest transaction in
 * flight, and the oldest that may still write activities.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { OUTBOX_WRITERS_LOCK } from '@opsi/db/outbox-lock';

/** The oldest transaction in flight of any kind, for this statement's snapshot: rows below it are settled. */
export const OLDEST = sql`pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * The lock table read once (a materialised CTE), and the transactions it shows running without the
 * writers' lock (`bystanders`): a transaction's id lock and its advisory lock matched by pid.
 */
const BYSTANDERS = sql`locks as materialized (
      select locktype, pid, transactionid, mode, granted from pg_locks
      where locktype = 'transactionid'
         or (locktype = 'advisory' and classid = 0 and objid = ${sql.lit(OUTBOX_WRITERS_LOCK)} and objsubid = 1
           and database = (select oid from pg_database where datname = current_database()))
    ), bystanders as (
      select t.transactionid from locks t
      where t.locktype = 'transactionid' and t.mode = 'ExclusiveLock' and t.granted and t.pid is not null
        and not exists (select 1 from locks w where w.locktype = 'advisory' and w.pid = t.pid)
    )`;

/**
 * The horizon (see ActivityPosition), for this statement's snapshot: its oldest transaction in
 * flight not seen running without the writers' lock, or its xmax. The lock table is read once (a
 * materialised CTE), and only when some transaction is in flight (a CASE evaluates its subquery
 * lazily); xip holds xid8s, pg_locks xids (the running ones match on their 32 bits).
 */
export const HORIZON = sql`(case when pg_snapshot_xmin(pg_current_snapshot()) = pg_snapshot_xmax(pg_current_snapshot())
  then pg_snapshot_xmax(pg_current_snapshot())
  else (with ${BYSTANDERS}
    select coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    from pg_snapshot_xip(pg_current_snapshot()) as x
    where not exists (select 1 from bystanders b where b.transactionid = x::xid))
  end)`;

/** Transactions in flight for this statement's snapshot that the horizon leaves out (tests, monitoring). */
export async function bystanderXids(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ xid: string }>`with ${BYSTANDERS}
    select x::text as xid from pg_snapshot_xip(pg_current_snapshot()) as x
    where exists (select 1 from bystanders b where b.transactionid = x::xid)`.execute(db);
  return rows.map((r) => r.xid);
}
