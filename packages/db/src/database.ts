import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { join } from 'node:path';
import { lockDataDir } from './lock.ts';
import { lazyBegin } from './lazy-begin.ts';
import { pipelineOver } from './pipelined.ts';
import { PREPARED_STATEMENTS, preparingClient } from './prepared.ts';
import type { Schema } from './schema.ts';

export type Engine = 'postgres' | 'pglite';

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite in dataDir is used. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL (DB_POOL_SIZE). Default POOL_SIZE. */
  poolSize?: number;
  /**
   * PostgreSQL: how many of the pool's connections stay open when idle (DB_POOL_KEEP); those above
   * close after `idleMs`. Default: all of them (at most poolSize).
   */
  poolKeep?: number;
  /** PostgreSQL: how long a connection above poolKeep stays open idle. Default 10 s (pg-pool's). */
  idleMs?: number;
  /**
   * PostgreSQL: the most statements prepared on one connection (prepared.ts; DB_PREPARED_STATEMENTS),
   * 0 for none. Default PREPARED_STATEMENTS.
   */
  preparedStatements?: number;
}

/** PostgreSQL connections per process unless DB_POOL_SIZE says otherwise. */
export const POOL_SIZE = 10;

/** How often a text is sent before connections prepare it (pgjdbc's prepareThreshold). */
const PREPARE_AFTER = 5;

export interface Database {
  kysely: Kysely<Schema>;
  engine: Engine;
  /** The pg pool (PostgreSQL only), for the Socket.IO adapter. */
  pool: pg.Pool | null;
  /** The embedded database (PGlite only), for its backups (backup.ts). */
  pglite: PGlite | null;
  /**
   * Subscribes to a NOTIFY channel; returns the unsubscribe function. On PostgreSQL a lost
   * connection is made again by itself, then `onReconnect` is called: notifications sent while it
   * was lost were missed.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const INT8_OID = 20;
/** Listening again after a lost connection: first after, then at most (doubling). */
const RELISTEN_FIRST_MS = 250;
const RELISTEN_MAX_MS = 5000;
/**
 * A query waits at most this long for a connection (a free one from the pool, or a new one):
 * with the database unreachable, requests fail (503) instead of hanging.
 */
const CONNECT_TIMEOUT_MS = 15_000;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? createPostgres(options.databaseUrl, {
        max: options.poolSize ?? POOL_SIZE,
        keep: options.poolKeep,
        idleMs: options.idleMs,
        prepared: options.preparedStatements ?? PREPARED_STATEMENTS,
      })
    : createPglite(options.dataDir);
}

async function createPostgres(
  connectionString: string,
  {
    max,
    keep,
    idleMs,
    prepared,
  }: { max: number; keep: number | undefined; idleMs: number | undefined; prepared: number },
): Promise<Database> {
  const pool = new pg.Pool({
    Client: lazyBegin(preparingClient({ max: prepared, after: PREPARE_AFTER })),
    connectionString,
    // A connection sends a statement without waiting for the one before it to be answered: a
    // transaction's `begin` goes with its first statement, and pipelined.ts sends whole transactions.
    // Kysely still sends one statement at a time on a connection it holds.
    pipeline: true,
    max,
    // Connections kept open when idle: a request after a quiet spell would otherwise wait for a
    // new connection (several ms) and prepare its statements on it again (prepared.ts); a write
    // whose look-ups run side by side needs several at once.
    min: Math.min(keep ?? max, max),
    ...(idleMs === undefined ? {} : { idleTimeoutMillis: idleMs }),
    application_name: 'opsi-network',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  pool.on('connect', (client) => {
    // A client in use whose connection is cut (the database restarts) emits 'error' besides
    // failing its query: without a listener that would end the process. Its user hears of it from
    // the query (or the next one), and the pool drops it when it is given back.
    client.on('error', () => undefined);
  });
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  pipelineOver(kysely, pool);
  const listeners = new Set<pg.Client>();

  async function listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void) {
    let client: pg.Client | null = null;
    let closed = false;
    let retry: NodeJS.Timeout | undefined;
    let delay = RELISTEN_FIRST_MS;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString, application_name: 'opsi-network-listen', keepAlive: true });
      c.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      try {
        await c.connect();
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        await c.end().catch(() => undefined);
        throw error;
      }
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      listeners.add(c);
    };
    // The connection was lost (the server restarted, the network failed): listen again, trying
    // until it works (backing off up to RELISTEN_MAX_MS); then `onReconnect`, since notifications
    // sent meanwhile were missed.
    const lost = (c: pg.Client) => {
      if (client !== c) return;
      client = null;
      listeners.delete(c);
      void c.end().catch(() => undefined);
      schedule();
    };
    const schedule = () => {
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        connect().then(
          () => {
            delay = RELISTEN_FIRST_MS;
            if (!closed) onReconnect?.();
          },
          () => {
            delay = Math.min(delay * 2, RELISTEN_MAX_MS);
            schedule();
          },
        );
      }, delay);
      retry.unref();
    };
    await connect();
    return async () => {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        listeners.delete(c);
        await c.end().catch(() => undefined);
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
      // Kysely ends the pool only if it ever ran a query; the kept connections would stay open.
      if (!pool.ending) await pool.end();
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
