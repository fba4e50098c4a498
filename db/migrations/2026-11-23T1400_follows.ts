// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  `CREATE TABLE follows (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_type text NOT NULL CHECK (target_type IN ('country', 'theme', 'case', 'event', 'person')),
    target_key text NOT NULL CHECK (length(target_key) BETWEEN 1 AND 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, target_type, target_key)
  )`,
  `CREATE INDEX follows_target_idx ON follows (target_type, target_key)`,
  // The feed reads activities by the case a post belongs to, and by event.
  `CREATE INDEX activities_case_idx ON activities ((payload->>'caseSlug'), id) WHERE payload ? 'caseSlug'`,
  // One row per notification; unread ones with the same group_key are merged ("3 new replies in …").
  `CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{2,40}$'),
    group_key text NOT NULL,
    count integer NOT NULL DEFAULT 1 CHECK (count >= 1),
    actor_ids bigint[] NOT NULL DEFAULT '{}',
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    activity_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz
  )`,
  `CREATE INDEX notifications_user_idx ON notifications (user_id, updated_at DESC, id DESC)`,
  `CREATE UNIQUE INDEX notifications_group_idx ON notifications (user_id, group_key) WHERE read_at IS NULL`,
  // How each member wants each kind: in the app, by email now, in the digest, or not at all.
  `CREATE TABLE notification_prefs (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]{2,40}$'),
    channel text NOT NULL CHECK (channel IN ('in_app', 'email', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
  )`,
  `CREATE TABLE digest_settings (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    frequency text NOT NULL DEFAULT 'weekly' CHECK (frequency IN ('daily', 'weekly', 'off')),
    last_sent_at timestamptz,
    last_activity_id bigint NOT NULL DEFAULT 0
  )`,
  // The capability in every email's unsubscribe link (it can only unsubscribe; RFC 8058).
  `CREATE TABLE email_tokens (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token text NOT NULL UNIQUE CHECK (token ~ '^[a-z2-7]{32}$')
  )`,
  // Where each exactly-once outbox consumer (notifications) has got to; advanced in the same
  // transaction as what it wrote.
  `CREATE TABLE outbox_cursors (
    name text PRIMARY KEY,
    last_id bigint NOT NULL DEFAULT 0
  )`,
  // Notifications start from now: what happened before this migration notifies no one.
  `INSERT INTO outbox_cursors (name, last_id) SELECT 'notifications', coalesce(max(id), 0) FROM activities`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE outbox_cursors, email_tokens, digest_settings, notification_prefs, notifications, follows`.execute(
    db,
  );
  await sql`DROP INDEX activities_case_idx`.execute(db);
}
