/**
 * The moderation log: what moderators and admins did (and role changes from the command line),
 * appended in the same transaction as the action itself, never edited nor deleted.
 */
import type { LogEntry, LogPage, LogQuery, LogTargetType, ModerationAction } from '@opsi/contracts/moderation';
import type { Database } from '@opsi/db/database';
import type { Executor } from '@opsi/db/executor';
import { decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import * as repo from './repository.ts';

/** Who acted: a signed-in moderator or admin, or null for the command line. */
export type LogActor = { id: string; handle: string | null } | null;

export interface LogRecord {
  actor: LogActor;
  action: ModerationAction;
  targetType: LogTargetType;
  /** The stored id (post id, user id, event id, case id, report id). */
  targetId: string;
  /** What people read: the post id, handle or slug at the time of the action. */
  target: string;
  reason?: string;
  details?: Record<string, unknown>;
}

function toEntry(row: repo.LogRow): LogEntry {
  return {
    id: row.id,
    actor: row.actorHandle,
    action: row.action as ModerationAction,
    targetType: row.targetType as LogTargetType,
    target: row.target,
    reason: row.reason,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  };
}

export function createAuditService(database: Database, now: Clock = systemClock) {
  const db = database.kysely;
  return {
    /** Appends an entry on the caller's transaction, so the action and its entry commit together. */
    async record(executor: Executor, entry: LogRecord): Promise<string> {
      return repo.insertLogEntry(
        executor,
        {
          actorId: entry.actor?.id ?? null,
          actorHandle: entry.actor?.handle ?? null,
          action: entry.action,
          targetType: entry.targetType,
          targetId: entry.targetId,
          target: entry.target,
          reason: entry.reason ?? '',
          details: entry.details ?? {},
        },
        now(),
      );
    },

    async list(query: LogQuery): Promise<LogPage> {
      const limit = query.limit ?? 20;
      const beforeId = query.cursor ? decodeCursor(query.cursor).afterId : undefined;
      const rows = await repo.listLogEntries(db, {
        limit: limit + 1,
        ...(beforeId ? { beforeId } : {}),
        ...(query.targetType ? { targetType: query.targetType } : {}),
        ...(query.target ? { target: query.target } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toEntry),
        nextCursor: rows.length > limit && last ? encodeCursor({ afterId: last.id }) : null,
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
