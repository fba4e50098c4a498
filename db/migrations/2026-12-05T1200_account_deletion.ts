// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // A member who deleted their account (DELETE /api/v1/me): the row stays, emptied of everything
  // personal (a placeholder handle and address, no password, no profile), so what other tables
  // still point at (anonymised posts, earlier edits, an audit trail) keeps a target that says
  // nothing about anyone. Such rows are never listed, found by handle, mentioned or followed.
  `ALTER TABLE users ADD COLUMN deleted_at timestamptz`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE users DROP COLUMN deleted_at`.execute(db);
}
