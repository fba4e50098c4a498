// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

// notifications.user_id no longer references users. The reference was checked row by row: a post
// that reaches 20,000 followers ran 20,000 lookups, each locking its member's row (FOR KEY SHARE,
// a write to the users table and its WAL), and that was ~30 % of the notifications' insert (240
// against 175 ms for 20,000 rows on the benchmark machine) while the post's own commit waited for
// the CPU. It never acted: a member's row is never deleted (an account deletion empties it in
// place and deletes their notifications itself, modules/privacy/repository.ts), and the writer
// only writes to members read from follows, thread levels and RSVPs (which reference users) or
// named by the activity (a mention, a reply's parent author: read from users when it was written).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE notifications DROP CONSTRAINT notifications_user_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.user_id)`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`.execute(db);
}
