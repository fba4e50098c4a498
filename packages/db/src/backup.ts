/**
 * Backups and restores, for both engines.
 *  - PostgreSQL: pg_dump's custom format (`pg_dump -Fc`), restored with pg_restore. The binaries are
 *    Debian's (/usr/lib/postgresql/<newest>/bin) or the first on PATH.
 *  - Embedded (PGlite): a gzipped tarball of the data folder, taken by PGlite itself between two
 *    queries after a checkpoint (a consistent copy, whether the server or the CLI holds the folder),
 *    restored into a new folder with PGlite's loadDataDir.
 * A restore refuses a database that already has tables unless forced.
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  openAsBlob,
  openSync,
  readdirSync,
  readSync,
  closeSync,
  renameSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { createDatabase, type Database } from './database.ts';
import { lockDataDir } from './lock.ts';

export type BackupFormat = 'pg_dump' | 'pglite';

/** A refusal the operator can act on (the CLI prints its message alone). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** What a backup file holds, from its first bytes: pg_dump's custom format or a gzipped tarball. */
export function backupFormat(file: string): BackupFormat {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  throw new BackupError(`${file} is neither a PostgreSQL backup (pg_dump -Fc) nor an embedded database backup.`);
}

/** A PostgreSQL client program: Debian's newest server binaries first, then PATH. */
export function findPgProgram(name: 'pg_dump' | 'pg_restore'): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin', name);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new BackupError(
    `${name} not found (neither in /usr/lib/postgresql/*/bin nor on PATH): install PostgreSQL's client programs ` +
      '(Debian: apt-get install postgresql-client), of the same major version as the server or newer.',
  );
}

/** The URL without its password, and the password for PGPASSWORD (not on the process list). */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new BackupError(`${program} failed (exit ${code}): ${stderr.trim()}`);
}

/** The tables of the public schema (the app's, and Kysely's migration bookkeeping). */
async function tableCount(database: Database): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_catalog.pg_tables where schemaname = 'public'`.execute(database.kysely);
  return rows[0]?.n ?? 0;
}

async function userCount(database: Database): Promise<string> {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from users`
    .execute(database.kysely)
    .catch(() => ({ rows: [{ n: '0' }] }));
  return rows[0]?.n ?? '0';
}

async function refuseUnlessEmpty(database: Database, where: string, force: boolean): Promise<void> {
  const tables = await tableCount(database);
  if (tables === 0 || force) return;
  throw new BackupError(
    `${where} is not empty (${tables} tables, ${await userCount(database)} members): a restore would replace it. ` +
      'Run the restore again with --force to replace it.',
  );
}

export async function backupPostgres(databaseUrl: string, file: string): Promise<void> {
  const { url, env } = connection(databaseUrl);
  await run(findPgProgram('pg_dump'), ['--format=custom', '--no-owner', '--file', file, '--dbname', url], env);
}

/** Restores a pg_dump file; with force, the public schema is emptied first (in PostgreSQL's own words: dropped and created again). */
export async function restorePostgres(database: Database, databaseUrl: string, file: string, force: boolean) {
  await refuseUnlessEmpty(database, 'The PostgreSQL database', force);
  if (force) {
    await sql`drop schema if exists public cascade`.execute(database.kysely);
    await sql`create schema public`.execute(database.kysely);
  }
  const { url, env } = connection(databaseUrl);
  await run(
    findPgProgram('pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url, file],
    env,
  );
}

/** Writes the embedded database to `file`: a checkpoint, then PGlite's tarball of its folder. */
export async function backupEmbedded(database: Database, file: string): Promise<void> {
  await pipeline(await dumpEmbedded(database), createWriteStream(file, { mode: 0o600 }));
}

/** The embedded database as a gzipped tarball stream (the server streams it to the CLI). */
export async function dumpEmbedded(database: Database): Promise<Readable> {
  if (!database.pglite) throw new BackupError('This is not the embedded database.');
  await sql`checkpoint`.execute(database.kysely);
  const blob = await database.pglite.dumpDataDir('gzip');
  return Readable.fromWeb(blob.stream() as WebReadableStream<Uint8Array>);
}

/**
 * Restores an embedded backup into `dataDir` (which no process may hold). A database already there
 * is refused unless forced; when forced it is kept beside, renamed, and its new name returned.
 */
export async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<string | null> {
  const folder = join(dataDir, 'pglite');
  let keptAs: string | null = null;
  if (existsSync(join(folder, 'PG_VERSION'))) {
    // Opening it takes the folder's lock (and says who holds it, if anyone does).
    const existing = await createDatabase({ dataDir });
    try {
      await refuseUnlessEmpty(existing, `The embedded database in ${dataDir}`, force);
    } finally {
      await existing.close();
    }
  }
  const release = lockDataDir(dataDir);
  try {
    if (existsSync(folder)) {
      keptAs = `${folder}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(folder, keptAs);
    }
    const restored = await PGlite.create(folder, { loadDataDir: await openAsBlob(file) });
    try {
      await restored.query('select 1');
    } finally {
      await restored.close();
    }
    return keptAs;
  } finally {
    release();
  }
}
