/**
 * Deleting a post: the row stays as a tombstone while it has live replies; the parent's live reply
 * count and the case's post count follow, with the activity, in one transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';
import { lockPost, parentOf } from '../repository.ts';

/** Marks a post deleted (the row stays: a tombstone while it has live replies); false if already gone. */
export async function deletePost(
  db: Kysely<Schema>,
  del: { id: string; deletedBy: string },
  activity: NewActivity,
  also?: (trx: Transaction<Schema>) => Promise<void>,
): Promise<boolean> {
  return writerTransaction(db, async (trx) => {
    const deleted = await deletePostIn(trx, del, activity);
    if (deleted) await also?.(trx);
    return deleted;
  });
}

/** deletePost on the caller's transaction (a moderator's decision commits with its log entry). */
export async function deletePostIn(
  trx: Transaction<Schema>,
  del: { id: string; deletedBy: string },
  activity: NewActivity,
): Promise<boolean> {
  // The conversation's top-level post first, then this one (see lockPost).
  const asked = await parentOf(trx, del.id);
  if (asked?.parent_id) await lockPost(trx, asked.parent_id);
  const current = await lockPost(trx, del.id);
  if (!current || current.deleted_at) return false;
  if (current.parent_id) {
    await trx
      .updateTable('posts')
      .set((eb) => ({ live_reply_count: eb('live_reply_count', '-', 1) }))
      .where('id', '=', current.parent_id)
      .execute();
  }
  await trx
    .updateTable('posts')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: del.deletedBy })
    .where('id', '=', del.id)
    .execute();
  // A hidden post was counted out when it was hidden (discussions/visibility).
  if (!current.hidden_at) {
    await trx
      .updateTable('cases')
      .set((eb) => ({ post_count: sql<number>`greatest(${eb.ref('post_count')} - 1, 0)` }))
      .where('id', '=', current.case_id)
      .execute();
  }
  await insertActivity(trx, activity);
  return true;
}
