// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Who has already been told that whom follows them: a member hears "X followed you" once per
  // follower, however often X unfollows and follows again (each toggle used to notify and email).
  `CREATE TABLE follow_notices (
    target_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    follower_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    noticed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (target_id, follower_id)
  )`,
  // The follows announced before this migration count as told.
  `INSERT INTO follow_notices (target_id, follower_id, noticed_at)
    SELECT t.id, f.id, min(a.created_at)
    FROM activities a
    JOIN users f ON f.id = a.actor_id
    JOIN users t ON t.id::text = a.payload->>'targetUserId'
    WHERE a.verb = 'followed' AND a.object_type = 'person' AND t.id <> f.id
    GROUP BY t.id, f.id`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE follow_notices`.execute(db);
}
