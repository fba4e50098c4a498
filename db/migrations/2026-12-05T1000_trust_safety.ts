// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The moderation log: every moderator and admin action (and role changes from the command line),
  // append-only. The actor and target are kept as text as well as by id, so the entry still reads
  // after an account is gone, and no foreign key can rewrite a row.
  `CREATE TABLE moderation_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id bigint,
    actor_handle text,
    action text NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
    target_type text NOT NULL CHECK (target_type IN ('post', 'person', 'event', 'case', 'report')),
    target_id text NOT NULL,
    target text NOT NULL,
    reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX moderation_log_target_idx ON moderation_log (target_type, target_id, id)`,
  `CREATE INDEX moderation_log_created_idx ON moderation_log (created_at)`,
  `CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'moderation_log is append-only: % refused', TG_OP;
   END $$`,
  `CREATE TRIGGER moderation_log_no_update_delete BEFORE UPDATE OR DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()`,
  `CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON moderation_log
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only()`,

  // Suspensions: suspended_at set means suspended; suspended_until null then means "until lifted".
  `ALTER TABLE users
    ADD COLUMN suspended_at timestamptz,
    ADD COLUMN suspended_until timestamptz,
    ADD COLUMN suspension_reason text CHECK (length(suspension_reason) <= 1000),
    ADD COLUMN trusted_at timestamptz,
    ADD CONSTRAINT users_suspension_shape CHECK (suspended_at IS NOT NULL OR suspended_until IS NULL)`,
  `CREATE INDEX users_suspended_idx ON users (suspended_at) WHERE suspended_at IS NOT NULL`,

  // A hidden post: others see a tombstone, its author the body and why.
  `ALTER TABLE posts
    ADD COLUMN hidden_at timestamptz,
    ADD COLUMN hidden_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN hidden_reason text CHECK (length(hidden_reason) <= 1000)`,

  // Reports: one row per member and target while open; they collect per target in the queue.
  `CREATE TABLE reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reporter_id bigint REFERENCES users (id) ON DELETE SET NULL,
    target_type text NOT NULL CHECK (target_type IN ('post', 'person', 'event', 'case')),
    target_id text NOT NULL,
    reason text NOT NULL CHECK (reason IN ('spam', 'harassment', 'off_topic', 'illegal', 'other')),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by bigint REFERENCES users (id) ON DELETE SET NULL,
    resolution text CHECK (resolution IN ('dismiss', 'hide', 'delete', 'warn', 'suspend'))
  )`,
  `CREATE UNIQUE INDEX reports_one_open_idx ON reports (reporter_id, target_type, target_id) WHERE status = 'open'`,
  `CREATE INDEX reports_target_idx ON reports (target_type, target_id, status)`,
  `CREATE INDEX reports_status_idx ON reports (status, created_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE reports`.execute(db);
  await sql`ALTER TABLE posts DROP COLUMN hidden_reason, DROP COLUMN hidden_by, DROP COLUMN hidden_at`.execute(db);
  await sql`DROP INDEX users_suspended_idx`.execute(db);
  await sql`ALTER TABLE users
    DROP CONSTRAINT users_suspension_shape,
    DROP COLUMN trusted_at,
    DROP COLUMN suspension_reason,
    DROP COLUMN suspended_until,
    DROP COLUMN suspended_at`.execute(db);
  await sql`DROP TABLE moderation_log`.execute(db);
  await sql`DROP FUNCTION moderation_log_append_only()`.execute(db);
}
