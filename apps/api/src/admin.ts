/**
 * Operator commands: `npm run admin -- <command>`, against the configured database (PostgreSQL
 * with DATABASE_URL, or the embedded one in DATA_DIR; through the server when one runs on it). The commands are in operator/ (USAGE lists
 * them); import-cases and generate-cases in modules/cases/import/cli.ts.
 */
import { createDatabase, type Database } from '@opsi/db/database';
import { DataDirLockedError } from '@opsi/db/lock';
import { migrateToLatest } from '@opsi/db/migrator';
// Every module's activity verbs, known before an import writes its activities.
import './catalogue.ts';
import { loadConfig } from './config.ts';
import { generateCommand } from './modules/cases/import/cli.ts';
import { backupCommand, migrateToCommand, restoreCommand } from './operator/backup.ts';
import { runDataCommand, USAGE } from './operator/commands.ts';
import { describeFailure } from './operator/errors.ts';
import { terminalIo } from './operator/io.ts';
import { runThroughServer } from './operator/remote.ts';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  // Writes a file; needs no database.
  if (command === 'generate-cases') return generateCommand(rest);
  const config = loadConfig(process.env);
  const io = terminalIo();
  if (command === 'restore') return restoreCommand(config, rest, io);
  if (command === 'migrate-to') return migrateToCommand(config, rest, io);
  let database: Database;
  try {
    database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    // A server holds the embedded folder: it runs the command (operator/remote.ts).
    if (error instanceof DataDirLockedError) return runThroughServer(config.dataDir, argv, io, error);
    throw error;
  }
  try {
    if (command === 'backup') return await backupCommand(database, config, rest, io);
    await migrateToLatest(database.kysely);
    return await runDataCommand(database, argv, io);
  } finally {
    await database.close();
  }
}

// Exit once stdout has been written out: process.exit() would cut a long piped listing short.
function exitAfterFlush(code: number) {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    console.error(describeFailure(error, argv[0]));
    exitAfterFlush(1);
  },
);
