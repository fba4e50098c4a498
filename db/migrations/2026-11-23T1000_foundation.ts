// Frozen history: Kysely<any> and raw SQL only, no application imports.
// The same SQL runs on PostgreSQL 15 and on PGlite.
import { sql, type Kysely } from 'kysely';

/** Runs a script statement by statement (prepared statements take one command each). */
async function run(db: Kysely<any>, script: string): Promise<void> {
  // Split on semicolons at line ends, except inside $$ ... $$ function bodies.
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of script.split('\n')) {
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    current += `${line}\n`;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await run(
    db,
    `
    CREATE TABLE countries (
      code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
      name text NOT NULL,
      name_fr text NOT NULL
    );

    CREATE TABLE themes (
      slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
      name text NOT NULL,
      name_fr text NOT NULL,
      description text NOT NULL DEFAULT '',
      description_fr text NOT NULL DEFAULT '',
      position integer NOT NULL DEFAULT 0
    );

    CREATE TABLE cases (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      summary text NOT NULL,
      body text NOT NULL DEFAULT '',
      year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
      organisation text NOT NULL,
      level_of_government text NOT NULL
        CHECK (level_of_government IN ('local', 'regional', 'national', 'international')),
      stage text NOT NULL CHECK (stage IN ('idea', 'pilot', 'implementation', 'evaluation', 'diffusion')),
      source_url text CHECK (source_url ~ '^https?://'),
      -- Countries (ISO codes) and themes (slugs) live on the row: lists need no join, filters use
      -- the GIN indexes, and the service checks the codes against countries and themes on write.
      countries text[] NOT NULL CHECK (cardinality(countries) > 0),
      themes text[] NOT NULL CHECK (cardinality(themes) > 0),
      post_count integer NOT NULL DEFAULT 0 CHECK (post_count >= 0),
      follower_count integer NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', organisation), 'B') ||
        setweight(to_tsvector('english', body), 'C')
      ) STORED
    );
    CREATE INDEX cases_search_idx ON cases USING gin (search);
    CREATE INDEX cases_activity_idx ON cases (last_activity_at DESC, id DESC);
    CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC);
    CREATE INDEX cases_year_idx ON cases (year);
    CREATE INDEX cases_countries_idx ON cases USING gin (countries);
    CREATE INDEX cases_themes_idx ON cases USING gin (themes);

    -- The outbox: every change commits together with the activity describing it.
    -- Writers take a transaction-scoped advisory lock before inserting, so ids commit in order
    -- and a reader resuming "after id N" never skips a row committed later with a smaller id.
    CREATE TABLE activities (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      verb text NOT NULL CHECK (verb ~ '^[a-z_]{2,40}$'),
      object_type text NOT NULL CHECK (object_type ~ '^[a-z_]{2,40}$'),
      object_id text NOT NULL,
      actor_id bigint,
      countries text[] NOT NULL DEFAULT '{}',
      themes text[] NOT NULL DEFAULT '{}',
      public boolean NOT NULL DEFAULT true,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX activities_public_idx ON activities (id) WHERE public;
    CREATE INDEX activities_countries_idx ON activities USING gin (countries);
    CREATE INDEX activities_themes_idx ON activities USING gin (themes);
    CREATE INDEX activities_object_idx ON activities (object_type, object_id, id);
    CREATE INDEX activities_actor_idx ON activities (actor_id, id) WHERE actor_id IS NOT NULL;

    CREATE FUNCTION activities_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('activities', NEW.id::text);
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER activities_notify AFTER INSERT ON activities
      FOR EACH ROW EXECUTE FUNCTION activities_notify();

    -- Used by @socket.io/postgres-adapter for payloads too large for NOTIFY. Created here, not at
    -- start, because two nodes creating it at once race.
    CREATE TABLE socket_io_attachments (
      id bigserial UNIQUE,
      created_at timestamptz DEFAULT now(),
      payload bytea
    );
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await run(
    db,
    `
    DROP TABLE socket_io_attachments;
    DROP TRIGGER activities_notify ON activities;
    DROP FUNCTION activities_notify();
    DROP TABLE activities, cases, themes, countries;
  `,
  );
}
