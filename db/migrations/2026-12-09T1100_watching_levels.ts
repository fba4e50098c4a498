// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Watching levels as Discourse has them (issue 14): "watching" (every new post in the thread
  // notifies), "normal" (only replies and mentions) and "muted" (nothing). No row is "normal".
  // Posting in a thread, or being mentioned in it, adds a "watching" row unless the member has one
  // already (a level they chose, or one they were given): a choice is never overridden.
  `ALTER TABLE thread_levels DROP CONSTRAINT thread_levels_level_check`,
  `ALTER TABLE thread_levels ADD CONSTRAINT thread_levels_level_check
    CHECK (level IN ('watching', 'normal', 'muted'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM thread_levels WHERE level <> 'muted'`.execute(db);
  await sql`ALTER TABLE thread_levels DROP CONSTRAINT thread_levels_level_check`.execute(db);
  await sql`ALTER TABLE thread_levels ADD CONSTRAINT thread_levels_level_check CHECK (level IN ('muted'))`.execute(db);
}
