/**
 * What the retention job deletes, one bounded batch per statement (each its own short
 * transaction, so no lock is held for long and the writers of these tables go on meanwhile).
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

async function deleted(db: Executor, statement: ReturnType<typeof sql>): Promise<number> {
  const result = await statement.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Jobs finished (done, or set aside) more than `days` ago. */
export function pruneJobs(db: Executor, days: number, batch: number): Promise<number> {
  return deleted(
    db,
    sql`delete from jobs where id in (
      select id from jobs where done_at < now() - make_interval(days => ${days}) order by done_at limit ${batch})`,
  );
}

/**
 * Rows of the event email ledger sent more than `days` ago for an event that is over: no job can
 * still send that email again (a reminder rescheduled to a start time it had before checks it).
 */
export function pruneEventEmails(db: Executor, days: number, batch: number): Promise<number> {
  return deleted(
    db,
    sql`delete from event_emails where (kind, key) in (
      select m.kind, m.key from event_emails m join events e on e.id = m.event_id
      where m.sent_at < now() - make_interval(days => ${days}) and e.ends_at < now()
      order by m.sent_at limit ${batch})`,
  );
}

/**
 * Activities older than `days` that nothing needs any more: at or below every outbox cursor in the
 * outbox's (xid, id) order (each consumer has handled them; the live readers and the stream's replay are minutes behind at most)
 * and pointed at by no notification.
 */
export function pruneActivities(db: Executor, days: number, batch: number): Promise<number> {
  return deleted(
    db,
    sql`delete from activities where id in (
      select a.id from activities a
      where not exists (select 1 from outbox_cursors c where (a.xid, a.id) > (c.last_xid, c.last_id))
        and a.created_at < now() - make_interval(days => ${days})
        and not exists (select 1 from notifications n where n.activity_id = a.id)
      order by a.id limit ${batch})`,
  );
}

/** Sessions past their idle or absolute expiry (refused when used already). */
export function pruneSessions(db: Executor, batch: number): Promise<number> {
  return deleted(
    db,
    sql`delete from sessions where id in (
      (select id from sessions where expires_at < now() limit ${batch})
      union
      (select id from sessions where absolute_expires_at < now() limit ${batch}))`,
  );
}

/** Setup links never used and past their expiry (a used one stays: it tells who became the first admin, and when). */
export function pruneSetupLinks(db: Executor, batch: number): Promise<number> {
  return deleted(
    db,
    sql`delete from setup_links where id in (
      select id from setup_links where used_at is null and expires_at < now() order by expires_at limit ${batch})`,
  );
}
