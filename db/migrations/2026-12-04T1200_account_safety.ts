// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Failed sign-ins, counted in the database so every node of a cluster shares the budget: one row
  // per counter (per address, and per account from an address), keyed by the SHA-256 of what it
  // counts (no email address in clear), with the end of its window. Expired rows are swept.
  `CREATE TABLE sign_in_failures (
    key text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    count integer NOT NULL CHECK (count >= 0),
    reset_at timestamptz NOT NULL
  )`,
  `CREATE INDEX sign_in_failures_reset_idx ON sign_in_failures (reset_at)`,
  // An email change waiting for the new address to confirm: only the SHA-256 of the token in the
  // emailed link is stored; single use, expiring. The account keeps its address until then.
  `CREATE TABLE email_changes (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    new_email text NOT NULL CHECK (length(new_email) BETWEEN 3 AND 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE INDEX email_changes_user_idx ON email_changes (user_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE email_changes, sign_in_failures`.execute(db);
}
