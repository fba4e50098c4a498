// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // Failed sign-ins, counted in the database so every node of a cluster shares the budget: one row
  // per counter (per address, and per account from an address), keyed by the SHA-256 of what it
  // counts (no email address in clear), with the end of its window. Expired rows are swept.
  `CREATE TABLE sign_in_failures (
    key text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    count integer NOT NULL CHECK (count >= 0),
    reset_at timestamptz NOT NULL
  )`,
  `CREATE INDEX sign_in_failures_reset_idx ON sign_in_failures (reset_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE sign_in_failures`.execute(db);
}
