/** The first admin's setup links (setup/service.ts): stored by the SHA-256 of their token. */
import { sql } from 'kysely';
import type { Executor, TransactionExecutor } from '@opsi/db/executor';

export async function hasAdmin(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertLink(db: Executor, id: string, expiresAt: Date): Promise<void> {
  await db.insertInto('setup_links').values({ id, expires_at: expiresAt }).execute();
}

/** One claim at a time, across nodes (a transaction-scoped advisory lock). */
export async function lockClaims(trx: TransactionExecutor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('setup_links'))`.execute(trx);
}

/** Marks the link used by `userId` if it is unused and not expired; whether it was. */
export async function useLink(trx: TransactionExecutor, id: string, userId: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable('setup_links')
    .set({ used_at: now, used_by: userId })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
