// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Per-member limits against floods (posts, edits, reactions, follows): one counter per member and
  // action, shared by every node of a cluster. A window opens with the first action after the last
  // one closed; one atomic upsert counts an action and says whether it fits.
  `CREATE TABLE member_limits (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    action text NOT NULL CHECK (action ~ '^[a-z_]{2,40}$'),
    window_start timestamptz NOT NULL,
    count integer NOT NULL CHECK (count >= 1),
    PRIMARY KEY (user_id, action)
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE member_limits`.execute(db);
}
