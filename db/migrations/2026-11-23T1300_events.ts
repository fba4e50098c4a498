// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  `CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    description_html text NOT NULL DEFAULT '',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    timezone text NOT NULL,
    mode text NOT NULL CHECK (mode IN ('in_person', 'online', 'hybrid')),
    venue text NOT NULL DEFAULT '',
    address text NOT NULL DEFAULT '',
    online_url text CHECK (online_url ~ '^https?://'),
    capacity integer CHECK (capacity IS NULL OR capacity >= 0),
    rsvp_deadline timestamptz,
    countries text[] NOT NULL DEFAULT '{}',
    themes text[] NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled')),
    -- RFC 5545 SEQUENCE: raised by every change attendees should see in their calendars.
    sequence integer NOT NULL DEFAULT 0,
    created_by bigint NOT NULL REFERENCES users (id),
    going_count integer NOT NULL DEFAULT 0 CHECK (going_count >= 0),
    waitlist_count integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
    interested_count integer NOT NULL DEFAULT 0 CHECK (interested_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    CHECK (ends_at > starts_at),
    -- The invariant, also enforced by the database: never more going than seats.
    CHECK (capacity IS NULL OR going_count <= capacity)
  )`,
  `CREATE INDEX events_starts_idx ON events (starts_at, id)`,
  `CREATE INDEX events_countries_idx ON events USING gin (countries)`,
  `CREATE INDEX events_themes_idx ON events USING gin (themes)`,
  `CREATE TABLE event_organisers (
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
  )`,
  `CREATE INDEX event_organisers_user_idx ON event_organisers (user_id)`,
  `CREATE TABLE event_cases (
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, case_id)
  )`,
  // The language emails to a member are written in.
  `ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr'))`,
  // One row per member and event. Decisions are taken under the event's row lock; decided_order
  // (from a sequence, inside that lock) is the arrival order: the waitlist is first come, first served.
  `CREATE SEQUENCE rsvp_decisions`,
  `CREATE TABLE rsvps (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('going', 'waitlisted', 'interested', 'declined')),
    listed boolean NOT NULL DEFAULT true,
    ticket_code text NOT NULL UNIQUE CHECK (ticket_code ~ '^[A-Z0-9]{8,16}$'),
    decided_order bigint NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    checked_in_at timestamptz,
    checked_in_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, user_id)
  )`,
  `CREATE INDEX rsvps_waitlist_idx ON rsvps (event_id, decided_order) WHERE status = 'waitlisted'`,
  `CREATE INDEX rsvps_status_idx ON rsvps (event_id, status)`,
  `CREATE INDEX rsvps_user_idx ON rsvps (user_id, event_id)`,
  // A member's private calendar feed: only the SHA-256 of the token is stored.
  `CREATE TABLE calendar_tokens (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Scheduled jobs (emails, reminders, later digests): a node claims a due job with FOR UPDATE
  // SKIP LOCKED and takes a lease (locked_until), so several nodes never run one job at once; a
  // unique (kind, key) makes scheduling idempotent.
  `CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind ~ '^[a-z_.]{2,60}$'),
    key text NOT NULL,
    run_at timestamptz NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    last_error text,
    done_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, key)
  )`,
  `CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE done_at IS NULL`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE jobs, calendar_tokens, rsvps, event_cases, event_organisers, events`.execute(db);
  await sql`DROP SEQUENCE rsvp_decisions`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN locale`.execute(db);
}
