/** Table types of trust and safety: the moderation log, reports, blocks and per-thread levels (schema.ts gathers them). */
import type { ColumnType, Generated } from 'kysely';
import type { BigId, Timestamp } from './schema.ts';

/** A member blocks another (blocker → blocked). */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: Timestamp;
}

/** A member's level for a case thread ('muted'; watching levels later). */
export interface ThreadLevelsTable {
  user_id: string;
  case_id: string;
  level: string;
  updated_at: Timestamp;
}

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export interface ModerationLogTable {
  id: BigId;
  actor_id: string | null;
  actor_handle: string | null;
  action: string;
  target_type: string;
  target_id: string;
  target: string;
  reason: Generated<string>;
  /** jsonb: written as JSON text, read as an object. */
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: Timestamp;
}

export interface ReportsTable {
  id: BigId;
  reporter_id: string | null;
  target_type: string;
  target_id: string;
  reason: string;
  note: Generated<string>;
  status: Generated<string>;
  created_at: Timestamp;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_by: string | null;
  resolution: string | null;
}

/** A one-time link making the first admin (only the SHA-256 of its token is kept). */
export interface SetupLinksTable {
  id: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  used_by: string | null;
}

/** The trust-and-safety tables, by name (part of Schema). */
export interface SafetyTables {
  blocks: BlocksTable;
  thread_levels: ThreadLevelsTable;
  moderation_log: ModerationLogTable;
  reports: ReportsTable;
  setup_links: SetupLinksTable;
}
