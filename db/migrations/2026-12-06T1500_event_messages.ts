// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // What the organisers of an event sent to those going (POST …/messages), kept so they can see
  // what they sent and to how many; the emails themselves go through the job queue.
  `CREATE TABLE event_messages (
    id bigserial PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sender_id bigint REFERENCES users (id) ON DELETE SET NULL,
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    recipients integer NOT NULL CHECK (recipients >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX event_messages_event_idx ON event_messages (event_id, id DESC)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE event_messages`.execute(db);
}
