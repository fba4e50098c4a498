// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

// The retention job (issue 15) prunes old rows in batches; these indexes let each batch find them
// without scanning the table.
const UP = [
  // Finished jobs, oldest first.
  `CREATE INDEX jobs_done_idx ON jobs (done_at) WHERE done_at IS NOT NULL`,
  // Sent event emails, oldest first.
  `CREATE INDEX event_emails_sent_idx ON event_emails (sent_at) WHERE sent_at IS NOT NULL`,
  // Sessions past their absolute end (expires_at has its index already).
  `CREATE INDEX sessions_absolute_expiry_idx ON sessions (absolute_expires_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX sessions_absolute_expiry_idx, event_emails_sent_idx, jobs_done_idx`.execute(db);
}
