// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  `CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    -- NULL for accounts that cannot sign in (demo members) until a password is set.
    password_hash text,
    handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9-]{2,40}$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'organiser', 'moderator', 'admin')),
    headline text NOT NULL DEFAULT '',
    organisation text NOT NULL DEFAULT '',
    country_code text CHECK (country_code ~ '^[A-Z]{2}$'),
    themes text[] NOT NULL DEFAULT '{}',
    bio text NOT NULL DEFAULT '',
    bio_html text NOT NULL DEFAULT '',
    links text[] NOT NULL DEFAULT '{}',
    follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', display_name || ' ' || handle), 'A') ||
      setweight(to_tsvector('english', headline || ' ' || organisation), 'B') ||
      setweight(to_tsvector('english', bio), 'C')
    ) STORED
  )`,
  `CREATE UNIQUE INDEX users_email_idx ON users (lower(email))`,
  `CREATE INDEX users_search_idx ON users USING gin (search)`,
  `CREATE INDEX users_country_idx ON users (country_code, id)`,
  `CREATE INDEX users_themes_idx ON users USING gin (themes)`,
  `CREATE INDEX users_joined_idx ON users (created_at DESC, id DESC)`,
  // Only the SHA-256 of a session token is stored: a stolen table holds no usable token.
  `CREATE TABLE sessions (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    user_agent text NOT NULL DEFAULT '',
    ip text NOT NULL DEFAULT ''
  )`,
  `CREATE INDEX sessions_user_idx ON sessions (user_id)`,
  `CREATE INDEX sessions_expiry_idx ON sessions (expires_at)`,
  `CREATE TABLE password_resets (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  `CREATE INDEX password_resets_user_idx ON password_resets (user_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE password_resets, sessions, users`.execute(db);
}
