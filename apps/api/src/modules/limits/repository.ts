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
