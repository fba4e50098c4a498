/**
 * backup, restore and migrate-to (README, "Backups and moving to PostgreSQL"). They work on the
 * database as a whole, so they run before (and without) the migrations the other commands apply:
 * a backup of a database an upgrade has not touched yet is exactly what an operator wants.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import {
  backupEmbedded,
  backupFormat,
  backupPostgres,
  BackupError,
  restoreEmbedded,
  restorePostgres,
} from '@opsi/db/backup';
import { copyDatabase } from '@opsi/db/copy';
import { createDatabase, type Database } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import type { Config } from '../config.ts';
import type { OperatorIo } from './io.ts';

function oneFile(command: string, args: string[], io: OperatorIo): string | null {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 1) {
    io.console.error(`Usage: npm run admin -- ${command} <file>`);
    return null;
  }
  return resolve(positionals[0]!);
}

export async function backupCommand(database: Database, config: Config, args: string[], io: OperatorIo) {
  const file = oneFile('backup', args, io);
  if (!file) return 1;
  if (config.databaseUrl) await backupPostgres(config.databaseUrl, file);
  else await backupEmbedded(database, file);
  io.console.log(
    `Backed up the ${database.engine === 'pglite' ? 'embedded database' : 'PostgreSQL database'} to ${file}.`,
  );
  return 0;
}

export async function restoreCommand(config: Config, args: string[], io: OperatorIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    io.console.error('Usage: npm run admin -- restore <file> [--force]');
    return 1;
  }
  const file = resolve(positionals[0]!);
  const format = backupFormat(file);
  if (config.databaseUrl) {
    if (format !== 'pg_dump') {
      throw new BackupError(
        `${file} is a backup of the embedded database: restore it without DATABASE_URL, then move it with migrate-to.`,
      );
    }
    const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    try {
      await restorePostgres(database, config.databaseUrl, file, values.force);
    } finally {
      await database.close();
    }
    io.console.log(`Restored ${file} into the PostgreSQL database.`);
    return 0;
  }
  if (format !== 'pglite') {
    throw new BackupError(`${file} is a PostgreSQL backup (pg_dump): restore it with DATABASE_URL set.`);
  }
  const keptAs = await restoreEmbedded(config.dataDir, file, values.force);
  io.console.log(`Restored ${file} into the embedded database in ${config.dataDir}.`);
  if (keptAs) io.console.log(`The database it replaced is kept in ${keptAs} (delete it once satisfied).`);
  return 0;
}

export async function migrateToCommand(config: Config, args: string[], io: OperatorIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [targetUrl] = positionals;
  if (positionals.length !== 1 || !targetUrl || !/^postgres(?:ql)?:\/\//.test(targetUrl)) {
    io.console.error('Usage: npm run admin -- migrate-to <postgres://user:password@host:5432/database>');
    return 1;
  }
  if (config.databaseUrl) {
    throw new BackupError(
      'migrate-to copies the embedded database: run it without DATABASE_URL (DATA_DIR names the folder).',
    );
  }
  const source = await createDatabase({ dataDir: config.dataDir });
  try {
    await migrateToLatest(source.kysely);
    const target = await createDatabase({ databaseUrl: targetUrl, dataDir: config.dataDir, poolSize: 2 });
    try {
      const report = await copyDatabase(source, target, (table, rows) => io.err.write(`  ${table}: ${rows} rows\n`));
      const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
      io.console.log(
        `Copied ${rows} rows in ${report.tables.length} tables and ${report.sequences} sequences from ${config.dataDir}.\n` +
          'Start the server with DATABASE_URL set to that database; the embedded folder is left as it was.',
      );
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
