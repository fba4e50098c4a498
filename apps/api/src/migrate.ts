/** `npm run migrate`: applies pending migrations to the configured database, then exits. */
import { createDatabase } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const result = await migrateToLatest(database.kysely);
  const applied = result.results?.filter((r) => r.status === 'Success') ?? [];
  console.log(applied.length ? `Applied: ${applied.map((r) => r.migrationName).join(', ')}` : 'Already up to date.');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
