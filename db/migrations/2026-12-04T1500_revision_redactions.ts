// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // A moderator can redact an earlier version of a post: its text is blanked in place (the body
  // and its HTML, not hidden) and the row keeps who did it, when and why. A redacted row can hold
  // no text, so nothing can write the text back by mistake.
  `ALTER TABLE post_revisions
    ADD COLUMN redacted_at timestamptz,
    ADD COLUMN redacted_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN redaction_reason text CHECK (length(redaction_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT post_revisions_redacted_blank CHECK (redacted_at IS NULL OR (body = '' AND body_html = ''))`,
  // After a redaction, the notifications that quoted the post are found through the activity that
  // made them (its 'created' activity) rather than by reading every activity and notification.
  `CREATE INDEX activities_post_created_idx ON activities (object_id) WHERE object_type = 'post' AND verb = 'created'`,
  `CREATE INDEX notifications_activity_idx ON notifications (activity_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX notifications_activity_idx, activities_post_created_idx`.execute(db);
  await sql`ALTER TABLE post_revisions
    DROP CONSTRAINT post_revisions_redacted_blank,
    DROP COLUMN redaction_reason,
    DROP COLUMN redacted_by,
    DROP COLUMN redacted_at`.execute(db);
}
