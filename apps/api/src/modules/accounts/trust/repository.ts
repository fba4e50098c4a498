/** Whether a member is trusted (past the new-member limits): set by a moderator, or earned (limits/repository.ts). */
import type { Executor } from '@opsi/db/executor';

export async function setTrusted(db: Executor, userId: string, at: Date | null): Promise<Date | null> {
  const row = await db
    .updateTable('users')
    .set({ trusted_at: at })
    .where('id', '=', userId)
    .returning('trusted_at')
    .executeTakeFirstOrThrow();
  return row.trusted_at;
}
