// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // A member blocks another: the blocked member's posts come collapsed for the blocker, their
  // mentions, replies and follows of the blocker are refused or silent, nothing they do notifies
  // the blocker. One row per pair; gone with either account.
  `CREATE TABLE blocks (
    blocker_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
  )`,
  `CREATE INDEX blocks_blocked_idx ON blocks (blocked_id)`,
  // A member's level for one case thread. Only "muted" (nothing from the thread notifies them) for
  // now; watching levels (issue 14) widen the check.
  `CREATE TABLE thread_levels (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    level text NOT NULL CHECK (level IN ('muted')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, case_id)
  )`,
  `CREATE INDEX thread_levels_case_idx ON thread_levels (case_id, level)`,
  // Email verification: no notification email or digest goes to an address before it is confirmed.
  // Accounts that exist already count as verified.
  `ALTER TABLE users ADD COLUMN email_verified_at timestamptz`,
  `UPDATE users SET email_verified_at = created_at`,
  // A verification link: only the SHA-256 of its token is stored, with the address it confirms
  // (a link for an address the account no longer has confirms nothing).
  `CREATE TABLE email_verifications (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX email_verifications_user_idx ON email_verifications (user_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE email_verifications`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN email_verified_at`.execute(db);
  await sql`DROP TABLE thread_levels, blocks`.execute(db);
}
