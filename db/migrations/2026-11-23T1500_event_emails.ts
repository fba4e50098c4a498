// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The ledger of event emails (reminders, seats, changes, cancellations, organisers' messages):
  // one row per email, written before it is handed to the mail server and marked sent after, so a
  // job run again after a crash (jobs are at-least-once) never sends the same email twice. `key`
  // is the job's key: the event, the occasion (start time, change sequence, promotion or message)
  // and the member.
  `CREATE TABLE event_emails (
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{2,40}$'),
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (kind, key)
  )`,
  `CREATE INDEX event_emails_event_idx ON event_emails (event_id, user_id)`,
  `CREATE INDEX event_emails_user_idx ON event_emails (user_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE event_emails`.execute(db);
}
