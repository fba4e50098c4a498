// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Introductions between members in different countries: a member opts in (off by default); only
  // members who opted in are offered as matches or may be asked.
  `ALTER TABLE users ADD COLUMN open_to_introductions boolean NOT NULL DEFAULT false`,
  // What a profile says about the member's work, for the text signal of matches: the words as
  // written ('simple': no stemming, so English and French profiles meet on shared terms).
  `ALTER TABLE users ADD COLUMN intro_text tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', headline || ' ' || bio)
  ) STORED`,
  // The candidates of a match: opted in, by country (the asker's own is left out).
  `CREATE INDEX users_introductions_idx ON users (country_code, id) WHERE open_to_introductions AND deleted_at IS NULL`,
  `CREATE INDEX users_intro_text_idx ON users USING gin (intro_text) WHERE open_to_introductions AND deleted_at IS NULL`,
  // Who else follows a theme or case, who else posted in a thread, who else goes to an event:
  // read from the index alone.
  `CREATE INDEX follows_target_user_idx ON follows (target_type, target_key, user_id)`,
  `CREATE INDEX posts_case_author_idx ON posts (case_id, author_id) WHERE deleted_at IS NULL`,
  `CREATE INDEX rsvps_event_user_idx ON rsvps (event_id, user_id) WHERE status = 'going' OR checked_in_at IS NOT NULL`,
  // One introduction per pair of members, whichever asked: pending, accepted or declined (a
  // declined one is kept so it cannot be asked again).
  `CREATE TABLE introductions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message text NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    requester_emailed_at timestamptz,
    recipient_emailed_at timestamptz,
    CHECK (requester_id <> recipient_id)
  )`,
  `CREATE UNIQUE INDEX introductions_pair_idx ON introductions (least(requester_id, recipient_id), greatest(requester_id, recipient_id))`,
  `CREATE INDEX introductions_requester_idx ON introductions (requester_id, status, id DESC)`,
  `CREATE INDEX introductions_recipient_idx ON introductions (recipient_id, status, id DESC)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE introductions`.execute(db);
  await sql`DROP INDEX rsvps_event_user_idx`.execute(db);
  await sql`DROP INDEX posts_case_author_idx`.execute(db);
  await sql`DROP INDEX follows_target_user_idx`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN intro_text`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN open_to_introductions`.execute(db);
}
