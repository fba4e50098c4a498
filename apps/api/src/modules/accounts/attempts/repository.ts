/** Sign-in failure counters, shared by every node (attempts.ts keeps the budgets). */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface Counter {
  key: string;
  count: number;
  resetAt: Date;
}

/**
 * Takes one attempt from each counter, atomically: a counter whose window is over starts a new
 * one. Returns each counter after the increment.
 */
export async function takeAttempts(db: Executor, keys: string[], now: Date, windowMs: number): Promise<Counter[]> {
  const resetAt = new Date(now.getTime() + windowMs);
  const rows = await db
    .insertInto('sign_in_failures')
    .values(keys.map((key) => ({ key, count: 1, reset_at: resetAt })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when sign_in_failures.reset_at <= ${now} then 1 else sign_in_failures.count + 1 end`,
        reset_at: sql<Date>`case when sign_in_failures.reset_at <= ${now} then excluded.reset_at else sign_in_failures.reset_at end`,
      }),
    )
    .returning(['key', 'count', 'reset_at'])
    .execute();
  return rows.map((r) => ({ key: r.key, count: r.count, resetAt: r.reset_at }));
}

/** Gives attempts back (a success, or an attempt refused before it tried). */
export async function giveBackAttempts(db: Executor, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await db
    .updateTable('sign_in_failures')
    .set({ count: sql<number>`greatest(count - 1, 0)` })
    .where('key', 'in', keys)
    .execute();
}

export async function clearAttempts(db: Executor, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await db.deleteFrom('sign_in_failures').where('key', 'in', keys).execute();
}

export async function deleteExpiredAttempts(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('sign_in_failures').where('reset_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
