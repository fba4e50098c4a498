// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

// What a feed shows: public activities with these verbs (follows/feed/repository.ts). The feed reads
// the newest of them per followed case or event and per followed person; these partial indexes
// hold only those rows (with the actor, so the reader's own and blocked members' activities are
// left out without reading the table), newest last, so each read is a short index-only scan.
const FEED_ROWS = `public AND verb IN ('created', 'cancelled', 'imported')`;

const UP = [
  `CREATE INDEX activities_feed_object_idx ON activities (object_type, object_id, id) INCLUDE (actor_id)
     WHERE ${FEED_ROWS}`,
  `CREATE INDEX activities_feed_actor_idx ON activities (actor_id, id) WHERE ${FEED_ROWS} AND actor_id IS NOT NULL`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX activities_feed_actor_idx, activities_feed_object_idx`.execute(db);
}
