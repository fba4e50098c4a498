import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { join } from 'node:path';
import { lockDataDir } from './lock.ts';
import type { Schema } from './schema.ts';

export type Engine = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite in dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export interface Database {
  kysely: Kysely<Schema>;
  engine: Engine;
  /** The pg pool (PostgreSQL only), for the Socket.IO adapter. */
  pool: pg.Pool | null;
  /** The embedded database (PGlite only), for its backups (backup.ts). */
  pglite: PGlite | null;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const INT8_OID = 20;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? createPostgres(options.databaseUrl, options.poolSize ?? 10)
    : createPglite(options.dataDir);
}

async function createPostgres(connectionString: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max, application_name: 'opsi-network' });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();

  async function listen(channel: string, onPayload: (payload: string) => void) {
    let client: pg.Client | null = null;
    let closed = false;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString, application_name: 'opsi-network-listen' });
      c.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      c.on('error', () => {
        listeners.delete(c);
        if (!closed) setTimeout(() => void connect().catch(() => undefined), 500);
      });
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      client = c;
      listeners.add(c);
    };
    await connect();
    return async () => {
      closed = true;
      if (client) {
        listeners.delete(client);
        await client.end().catch(() => undefined);
      }
    };
  }

  return {
    kysely,
    engine: 'postgres',
    pool,
    pglite: null,
    listen,
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await kysely.destroy();
    },
  };
}

async function createPglite(dataDir: string): Promise<Database> {
  const release = lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(join(dataDir, 'pglite'), {
      parsers: { [INT8_OID]: (value: string) => value },
    });
  } catch (error) {
    release();
    throw error;
  }
  const kysely = new Kysely<Schema>({ dialect: new PGliteDialect(client) });
  await sql`select 1`.execute(kysely);
  return {
    kysely,
    engine: 'pglite',
    pool: null,
    pglite: client,
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return async () => {
        await unlisten();
      };
    },
    async close() {
      await kysely.destroy();
      if (!client.closed) await client.close();
      release();
    },
  };
}
