/**
 * Operator commands: `npm run admin -- <command>`, against the configured database (PostgreSQL
 * with DATABASE_URL, or the embedded one in DATA_DIR while the server is stopped).
 *
 *   create-user --email a@b.org --handle ada --name "Ada L." [--role admin]   (password: prompt, or stdin)
 *   set-role <handle> <member|organiser|moderator|admin>
 *   list-users [--limit 100]
 *   import-cases FILE [--dry-run]   and   generate-cases N [--format csv|json] [--out FILE] [--seed S]
 *   (modules/cases/import/cli.ts)
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Roles, type Role } from '@opsi/contracts/accounts';
import { createDatabase } from '@opsi/db/database';
import { DataDirLockedError } from '@opsi/db/lock';
import { migrateToLatest } from '@opsi/db/migrator';
import { seedReference } from '@opsi/db/seed';
// Every module's activity verbs, known before an import writes its activities.
import './catalogue.ts';
import { loadConfig } from './config.ts';
import { createAccountsService } from './modules/accounts/service.ts';
import { listUsers } from './modules/accounts/repository.ts';
import { createStandingService } from './modules/accounts/standing/service.ts';
import { createAuditService } from './modules/audit/service.ts';
import { AppError } from './platform/errors.ts';
import { generateCommand, importCommand, IMPORT_USAGE } from './modules/cases/import/cli.ts';

const USAGE = `Usage: npm run admin -- <command>
  create-user --email <email> --handle <handle> --name <display name> [--role <role>]
              the password is asked for (or read from standard input when piped)
  set-role <handle> <${Roles.join('|')}>
  list-users [--limit <n>]
${IMPORT_USAGE}`;

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write('Password (at least 12 characters): ');
    // Do not echo what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  rl.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  return line;
}

function isRole(value: string | undefined): value is Role {
  return (Roles as readonly string[]).includes(value ?? '');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  // Writes a file; needs no database.
  if (command === 'generate-cases') return generateCommand(rest);
  const config = loadConfig(process.env);
  const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.kysely);
    // Role changes from here are in the moderation log, with no actor (the command line).
    const standing = () => createStandingService(database, { audit: createAuditService(database) });
    switch (command) {
      case 'create-user': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            handle: { type: 'string' },
            name: { type: 'string' },
            role: { type: 'string' },
          },
        });
        if (!values.email || !values.handle || !values.name) {
          console.error(USAGE);
          return 1;
        }
        if (values.role !== undefined && !isRole(values.role)) {
          console.error(`Unknown role "${values.role}": use one of ${Roles.join(', ')}.`);
          return 1;
        }
        const password = await readPassword();
        const user = await createAccountsService(database).signup({
          email: values.email,
          handle: values.handle,
          displayName: values.name,
          password,
        });
        if (values.role && values.role !== 'member') await standing().setRole(null, user.handle, values.role);
        console.log(`Created @${user.handle} (${values.role ?? 'member'}).`);
        return 0;
      }
      case 'set-role': {
        const [handle, role] = rest;
        if (!handle || !isRole(role)) {
          console.error(USAGE);
          return 1;
        }
        if (!(await standing().setRole(null, handle, role))) {
          console.error(`No member with the handle "${handle}".`);
          return 1;
        }
        console.log(`@${handle} is now ${role}.`);
        return 0;
      }
      case 'list-users': {
        const { values } = parseArgs({ args: rest, options: { limit: { type: 'string', default: '100' } } });
        const rows = await listUsers(database.kysely, Math.min(10_000, Math.max(1, Number(values.limit) || 100)));
        console.table(
          rows.map((r) => ({
            handle: r.handle,
            name: r.displayName,
            email: r.email,
            role: r.role,
            'can sign in': r.canSignIn ? 'yes' : 'no',
            joined: r.createdAt.toISOString().slice(0, 10),
          })),
        );
        return 0;
      }
      case 'import-cases':
        // Countries and themes are what rows map to (the server writes them at start, as here).
        await seedReference(database.kysely);
        return await importCommand(database, rest);
      default:
        console.error(`Unknown command "${command}".\n${USAGE}`);
        return 1;
    }
  } finally {
    await database.close();
  }
}

// Exit once stdout has been written out: process.exit() would cut a long piped listing short.
function exitAfterFlush(code: number) {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    if (error instanceof AppError) {
      const details = Array.isArray(error.details) ? error.details : [];
      console.error(details.length ? details.map((d: { message: string }) => d.message).join('\n') : error.message);
    } else if (error instanceof DataDirLockedError) {
      console.error(`${error.message}\nStop the server first, or run the command against PostgreSQL.`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    exitAfterFlush(1);
  },
);
