/**
 * Vitest global setup: a real PostgreSQL for the whole run. Uses TEST_DATABASE_URL when given,
 * otherwise starts a throwaway cluster from the Debian server binaries and removes it afterwards.
 * The schema is migrated and the demo data seeded once here; tests share that database and create
 * their own rows with unique names.
 */
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../packages/db/src/database.ts';
import { migrateToLatest } from '../../packages/db/src/migrator.ts';
import { seed } from '../../packages/db/src/seed.ts';
import { startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  const cluster = given ? null : await startThrowawayPostgres({ database: 'opsi_test' });
  const url = given ?? cluster!.url;
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await migrateToLatest(database.kysely);
    await seed(database.kysely, { demo: true });
  } finally {
    await database.close();
  }
  project.provide('databaseUrl', url);
  return () => cluster?.stop();
}
