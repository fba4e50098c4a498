/** The database: created from config (or handed in by tests), migrated and seeded before routes run. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDatabase, type Database } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { seed } from '@opsi/db/seed';
import type { Config } from '../config.ts';
import { seedDemoMembers } from '../modules/profiles/service.ts';
import { seedDemoDiscussions } from '../modules/discussions/service.ts';
import { seedDemoEvents } from '../modules/events/service.ts';

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
  const db = database ?? (await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  if (!database) fastify.addHook('onClose', async () => db.close());
  fastify.decorate('database', db);

  const migrated = await migrateToLatest(db.kysely);
  const applied = migrated.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  const seeded = await seed(db.kysely, { demo: config.seedDemo });
  // Demo members arrive with the demo cases, on the first start only.
  const demoMembers = seeded.demoCases > 0 ? await seedDemoMembers(db) : 0;
  const demoPosts = seeded.demoCases > 0 ? await seedDemoDiscussions(db) : 0;
  const demoEvents = seeded.demoCases > 0 ? await seedDemoEvents(db, config.publicOrigin) : 0;
  fastify.log.info(
    { engine: db.engine, migrations: applied, demoCases: seeded.demoCases, demoMembers, demoPosts, demoEvents },
    `database ready (${db.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})`,
  );
}

export default fp(databasePlugin, { name: 'database', dependencies: ['errors'] });
