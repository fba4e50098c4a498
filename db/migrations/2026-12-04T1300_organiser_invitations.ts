// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Co-organisers by consent: naming someone on an event invites them; they become one of its
  // organisers (event_organisers) only when they accept, which removes the invitation. A declined
  // invitation is kept, so the same event cannot ask them again. Organisers named before this
  // migration stay organisers.
  `CREATE TABLE event_organiser_invitations (
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by bigint REFERENCES users (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'declined')),
    created_at timestamptz NOT NULL DEFAULT now(),
    answered_at timestamptz,
    PRIMARY KEY (event_id, user_id)
  )`,
  `CREATE INDEX event_organiser_invitations_user_idx ON event_organiser_invitations (user_id, created_at)
    WHERE status = 'pending'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE event_organiser_invitations`.execute(db);
}
