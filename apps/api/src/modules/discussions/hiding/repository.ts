/** Hidden posts (moderation): posts.hidden_at, hidden_by and hidden_reason. */
import type { Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity } from '../../../platform/outbox/repository.ts';

/**
 * Hides a post (`hide` set) or shows it again (`hide` null), with its activity, on the caller's
 * transaction: 'missing' for no live post, 'unchanged' when it already was so.
 */
export async function setPostHidden(
  trx: Transaction<Schema>,
  id: string,
  hide: { by: string | null; reason: string; at: Date } | null,
  activity: NewActivity,
): Promise<'missing' | 'unchanged' | 'changed'> {
  const current = await trx
    .selectFrom('posts')
    .select(['id', 'deleted_at', 'hidden_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!current || current.deleted_at) return 'missing';
  if ((current.hidden_at !== null) === (hide !== null)) return 'unchanged';
  await trx
    .updateTable('posts')
    .set(
      hide
        ? { hidden_at: hide.at, hidden_by: hide.by, hidden_reason: hide.reason }
        : { hidden_at: null, hidden_by: null, hidden_reason: null },
    )
    .where('id', '=', id)
    .execute();
  await insertActivity(trx, activity);
  return 'changed';
}
