/**
 * Per-member counters (member_limits): one row per member and action, shared by every node of a
 * cluster. Counting an action is one atomic upsert that also says whether it fits, so two nodes
 * never both let the last allowed action through and no lock outlives the statement.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

/**
 * Counts one action if it fits: in the member's open window (opened by their first action after
 * the last window closed) fewer than `max` actions so far, or no open window (then this one opens
 * it). Returns null when counted, else when the open window started (the action is not counted).
 */
export async function countAction(
  db: Executor,
  take: { userId: string; action: string; max: number; windowSeconds: number; now: Date },
): Promise<Date | null> {
  const closedBefore = new Date(take.now.getTime() - take.windowSeconds * 1000);
  const { rows } = await sql<{ count: number }>`
    insert into member_limits as l (user_id, action, window_start, count)
    values (${take.userId}, ${take.action}, ${take.now}, 1)
    on conflict (user_id, action) do update set
      window_start = case when l.window_start <= ${closedBefore} then excluded.window_start else l.window_start end,
      count = case when l.window_start <= ${closedBefore} then 1 else l.count + 1 end
    where l.window_start <= ${closedBefore} or l.count < ${take.max}
    returning l.count
  `.execute(db);
  if (rows.length) return null;
  const open = await sql<{ window_start: Date }>`
    select window_start from member_limits where user_id = ${take.userId} and action = ${take.action}
  `.execute(db);
  return open.rows[0]?.window_start ?? take.now;
}

/** When the member joined and when they became trusted (null: not yet). */
export async function memberStanding(
  db: Executor,
  userId: string,
): Promise<{ createdAt: Date; trustedAt: Date | null } | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['created_at', 'trusted_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row && { createdAt: row.created_at, trustedAt: row.trusted_at };
}

/**
 * Makes a member trusted when they have written and read enough (posts plus threads read, at
 * least `minActivity`) and no report against them or their posts was upheld (resolved with
 * anything but a dismissal). Returns whether they are trusted now.
 */
export async function trustIfEarned(db: Executor, userId: string, minActivity: number, now: Date): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    update users u set trusted_at = ${now}
    where u.id = ${userId} and u.trusted_at is null
      and (select count(*) from posts p where p.author_id = u.id and p.deleted_at is null)
        + (select count(*) from case_reads r where r.user_id = u.id) >= ${minActivity}
      and not exists (
        select 1 from reports r
        where r.status = 'resolved' and r.resolution <> 'dismiss'
          and ((r.target_type = 'person' and r.target_id in (u.handle, u.id::text))
            or (r.target_type = 'post' and r.target_id in (select p.id::text from posts p where p.author_id = u.id))))
    returning u.id
  `.execute(db);
  return rows.length > 0;
}
