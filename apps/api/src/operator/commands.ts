/**
 * The operator commands on the platform's data (create-user, set-role, list-users, import-cases),
 * run on an open, migrated database: by the CLI itself (admin.ts), or by the running embedded
 * server for the CLI (listener.ts). Everything they print goes through `io`.
 */
import { parseArgs } from 'node:util';
import { Roles, type Role } from '@opsi/contracts/accounts';
import type { Database } from '@opsi/db/database';
import { seedReference } from '@opsi/db/seed';
import { createAccountsService } from '../modules/accounts/service.ts';
import { listUsers } from '../modules/accounts/repository.ts';
import { createStandingService } from '../modules/accounts/standing/service.ts';
import { createAuditService } from '../modules/audit/service.ts';
import { importCommand, IMPORT_USAGE } from '../modules/cases/import/cli.ts';
import type { OperatorIo } from './io.ts';

export const USAGE = `Usage: npm run admin -- <command>
  create-user --email <email> --handle <handle> --name <display name> [--role <role>]
              the password is asked for (or read from standard input when piped)
  set-role <handle> <${Roles.join('|')}>
  list-users [--limit <n>]
${IMPORT_USAGE}
  backup <file>
              PostgreSQL: pg_dump's custom format; embedded: a copy of the data folder (the server may run)
  restore <file> [--force]
              into an empty database (--force replaces one that has tables); embedded: server stopped
  migrate-to <postgres://…>
              copies the embedded database into an empty PostgreSQL (server stopped)`;

/** The commands runDataCommand knows (the CLI sends these to a running embedded server). */
export const DATA_COMMANDS = new Set(['create-user', 'set-role', 'list-users', 'import-cases']);

function isRole(value: string | undefined): value is Role {
  return (Roles as readonly string[]).includes(value ?? '');
}

export async function runDataCommand(database: Database, argv: string[], io: OperatorIo): Promise<number> {
  const [command, ...rest] = argv;
  const { console } = io;
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
      const password = await io.password();
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
      return await importCommand(database, rest, io);
    default:
      console.error(`Unknown command "${command}".\n${USAGE}`);
      return 1;
  }
}
