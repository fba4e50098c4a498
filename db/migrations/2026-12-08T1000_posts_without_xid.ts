// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

// posts.xid (2026-12-07T1000_outbox_positions) was for reading a thread "after post N" in (xid, id)
// order; that read goes in id order behind the thread's lock instead, and nothing reads the column
// or its index. Dropping the column drops posts_position_idx with it: one index less per post.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE posts DROP COLUMN xid`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE posts ADD COLUMN xid xid8 NOT NULL DEFAULT '0'`.execute(db);
  await sql`ALTER TABLE posts ALTER COLUMN xid SET DEFAULT pg_current_xact_id()`.execute(db);
  await sql`CREATE INDEX posts_position_idx ON posts (case_id, xid, id)`.execute(db);
}
