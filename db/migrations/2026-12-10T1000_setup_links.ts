// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The one-time links a server prints at start while the site has no admin (README, "The first
  // admin"): only the SHA-256 of the token is stored, with its expiry, and who used it, once.
  `CREATE TABLE setup_links (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    used_by bigint REFERENCES users (id) ON DELETE SET NULL
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE setup_links`.execute(db);
}
