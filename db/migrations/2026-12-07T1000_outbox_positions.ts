// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The outbox without one global lock: each activity records the id of the transaction that wrote
  // it, and readers take activities in (xid, id) order only below the oldest transaction still in
  // flight (pg_snapshot_xmin), so one that commits late is never passed over. Rows written before
  // this migration are all settled: xid 0 keeps them in id order, before every later row.
  `ALTER TABLE activities ADD COLUMN xid xid8 NOT NULL DEFAULT '0'`,
  `ALTER TABLE activities ALTER COLUMN xid SET DEFAULT pg_current_xact_id()`,
  `CREATE INDEX activities_position_idx ON activities (xid, id)`,
  `CREATE INDEX activities_public_position_idx ON activities (xid, id) WHERE public`,
  // A consumer's cursor is a position (xid, id); existing cursors sit among the settled rows.
  `ALTER TABLE outbox_cursors ADD COLUMN last_xid xid8 NOT NULL DEFAULT '0'`,
  // Posts the same way, for a thread read "after post N" (a reconnecting client's catch-up).
  `ALTER TABLE posts ADD COLUMN xid xid8 NOT NULL DEFAULT '0'`,
  `ALTER TABLE posts ALTER COLUMN xid SET DEFAULT pg_current_xact_id()`,
  `CREATE INDEX posts_position_idx ON posts (case_id, xid, id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX posts_position_idx`.execute(db);
  await sql`ALTER TABLE posts DROP COLUMN xid`.execute(db);
  await sql`ALTER TABLE outbox_cursors DROP COLUMN last_xid`.execute(db);
  await sql`DROP INDEX activities_public_position_idx`.execute(db);
  await sql`DROP INDEX activities_position_idx`.execute(db);
  await sql`ALTER TABLE activities DROP COLUMN xid`.execute(db);
}
