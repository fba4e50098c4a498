import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface NewLogRow {
  actorId: string | null;
  actorHandle: string | null;
  action: string;
  targetType: string;
  targetId: string;
  target: string;
  reason: string;
  details: Record<string, unknown>;
}

export interface LogRow extends NewLogRow {
  id: string;
  createdAt: Date;
}

/** Appends one entry; the table refuses every UPDATE, DELETE and TRUNCATE (a trigger). */
export async function insertLogEntry(db: Executor, row: NewLogRow, at: Date): Promise<string> {
  const { id } = await db
    .insertInto('moderation_log')
    .values({
      actor_id: row.actorId,
      // The handle as it is now, when the caller knows only the id.
      actor_handle:
        row.actorHandle ?? (row.actorId ? sql<string>`(select handle from users where id = ${row.actorId})` : null),
      action: row.action,
      target_type: row.targetType,
      target_id: row.targetId,
      target: row.target,
      reason: row.reason,
      details: JSON.stringify(row.details),
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Newest first, by keyset on the id; optionally the entries about one target. */
export async function listLogEntries(
  db: Executor,
  options: { beforeId?: string; limit: number; targetType?: string; target?: string },
): Promise<LogRow[]> {
  let query = db
    .selectFrom('moderation_log')
    .select([
      'id',
      'actor_id',
      'actor_handle',
      'action',
      'target_type',
      'target_id',
      'target',
      'reason',
      'details',
      'created_at',
    ])
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.beforeId) query = query.where('id', '<', options.beforeId);
  if (options.targetType) query = query.where('target_type', '=', options.targetType);
  if (options.target)
    query = query.where((eb) => eb.or([eb('target', '=', options.target!), eb('target_id', '=', options.target!)]));
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    actorId: r.actor_id,
    actorHandle: r.actor_handle,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    target: r.target,
    reason: r.reason,
    details: r.details,
    createdAt: r.created_at,
  }));
}
