/** What an operator command's failure says: the message alone, or each detail of a refusal. */
import { BackupError } from '@opsi/db/backup';
import { DataDirLockedError } from '@opsi/db/lock';
import { AppError } from '../platform/errors.ts';

/** Commands that replace or move the whole embedded database: never while a server has it open. */
export const WHOLE_DATABASE = new Set(['restore', 'migrate-to']);

export function describeFailure(error: unknown, command: string | undefined): string {
  if (error instanceof AppError) {
    const details = Array.isArray(error.details) ? error.details : [];
    return details.length ? details.map((d: { message: string }) => d.message).join('\n') : error.message;
  }
  if (error instanceof DataDirLockedError) {
    const why = WHOLE_DATABASE.has(command ?? '')
      ? `Stop the server first: ${command} replaces or moves the database it has open.`
      : 'Stop the server first, or run the command against PostgreSQL.';
    return `${error.message}\n${why}`;
  }
  if (error instanceof BackupError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
