/**
 * The database: created from config (or handed in by tests), migrated, and its reference data
 * (countries, themes) brought up to date before routes run. Demo data is added later, by the
 * composition (apps/api/src/demo.ts), through the feature modules.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDatabase, type Database } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { seedReference } from '@opsi/db/seed';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

export interface DatabasePluginOptions {
  config: Config;
  /** An already open database (tests); the plugin then leaves closing it to the caller. */
  database?: Database;
}

async function databasePlugin(fastify: FastifyInstance, { config, database }: DatabasePluginOptions) {
  const db =
    database ??
    (await createDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      preparedStatements: config.preparedStatements,
      poolSize: config.poolSize,
      poolKeep: config.poolKeep,
    }));
  if (!database) fastify.addHook('onClose', async () => db.close());
  fastify.decorate('database', db);

  const migrated = await migrateToLatest(db.kysely);
  const applied = migrated.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  await seedReference(db.kysely);
  fastify.log.info(
    { engine: db.engine, migrations: applied },
    `database ready (${db.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
  );
}

export default fp(databasePlugin, { name: 'database', dependencies: ['errors'] });
