/**
 * Editing a post: the previous version is kept as a revision, the mentions are replaced, and the
 * activity is written, in one transaction (the post locked as every writer locks it).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';
import { lockPost } from '../repository.ts';

/** Replaces a post's body, keeping the previous version; false when the post is gone. */
export async function updatePostBody(
  db: Kysely<Schema>,
  edit: {
    id: string;
    editorId: string;
    body: string;
    bodyHtml: string;
    excerpt: string;
    language: string;
    mentionIds: string[];
  },
  activity: NewActivity,
  also?: (trx: Transaction<Schema>) => Promise<void>,
): Promise<boolean> {
  return writerTransaction(db, async (trx) => {
    const current = await lockPost(trx, edit.id);
    if (!current || current.deleted_at) return false;
    if (current.body === edit.body) {
      // The same text: no new version; only a language named anew changes.
      if (current.language !== edit.language) {
        await trx.updateTable('posts').set({ language: edit.language }).where('id', '=', edit.id).execute();
      }
      return true;
    }
    await trx
      .insertInto('post_revisions')
      .values({
        post_id: edit.id,
        body: current.body,
        body_html: current.body_html,
        written_at: current.edited_at ?? current.created_at,
        replaced_by: edit.editorId,
      })
      .execute();
    await trx
      .updateTable('posts')
      .set({
        body: edit.body,
        body_html: edit.bodyHtml,
        excerpt: edit.excerpt,
        language: edit.language,
        edited_at: sql<Date>`now()`,
      })
      .where('id', '=', edit.id)
      .execute();
    await trx.deleteFrom('post_mentions').where('post_id', '=', edit.id).execute();
    if (edit.mentionIds.length) {
      await trx
        .insertInto('post_mentions')
        .values(edit.mentionIds.map((userId) => ({ post_id: edit.id, user_id: userId })))
        .execute();
    }
    await insertActivity(trx, activity);
    await also?.(trx);
    return true;
  });
}
