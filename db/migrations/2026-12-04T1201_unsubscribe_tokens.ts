// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The capability in an email's unsubscribe link, one per email sent: only the SHA-256 of the
  // token in the link is stored, with the kind of email it unsubscribes from and an expiry (rows
  // are swept after it). `undo` remembers what its last use turned off (the previous digest
  // frequency and channels), so the undo puts back exactly that, until `undo_until`, once.
  `CREATE TABLE unsubscribe_tokens (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{2,40}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    undo jsonb,
    undo_until timestamptz
  )`,
  `CREATE INDEX unsubscribe_tokens_user_idx ON unsubscribe_tokens (user_id)`,
  `CREATE INDEX unsubscribe_tokens_expiry_idx ON unsubscribe_tokens (expires_at)`,
  // The old tokens were one per member, never rotated and stored in clear: links in emails sent
  // before this migration stop working (the page then points to the notification settings).
  `DROP TABLE email_tokens`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE unsubscribe_tokens`.execute(db);
  await sql`CREATE TABLE email_tokens (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token text NOT NULL UNIQUE CHECK (token ~ '^[a-z2-7]{32}$')
  )`.execute(db);
}
