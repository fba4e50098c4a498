/** Reactions to posts: one per member and kind, counted again under the post's row lock, with their activity. */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';
import { lockPost } from '../repository.ts';

export interface ReactionResult {
  changed: boolean;
  reactions: Record<string, number>;
  mine: string[];
}

/** Adds or removes one member's reaction; counts are recounted under the post's row lock. */
export async function setReaction(
  db: Kysely<Schema>,
  change: { postId: string; userId: string; kind: string; on: boolean },
  activity: NewActivity,
): Promise<ReactionResult | 'missing'> {
  return writerTransaction(db, async (trx) => {
    const post = await lockPost(trx, change.postId);
    if (!post || post.deleted_at) return 'missing';
    const result = change.on
      ? await trx
          .insertInto('post_reactions')
          .values({ post_id: change.postId, user_id: change.userId, kind: change.kind })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
      : await trx
          .deleteFrom('post_reactions')
          .where('post_id', '=', change.postId)
          .where('user_id', '=', change.userId)
          .where('kind', '=', change.kind)
          .executeTakeFirst();
    const affected =
      'numInsertedOrUpdatedRows' in result ? result.numInsertedOrUpdatedRows : (result.numDeletedRows ?? 0n);
    const counts = await trx
      .selectFrom('post_reactions')
      .select(['kind', sql<string>`count(*)`.as('n')])
      .where('post_id', '=', change.postId)
      .groupBy('kind')
      .execute();
    const reactions = Object.fromEntries(counts.map((c) => [c.kind, Number(c.n)]));
    const mine = await trx
      .selectFrom('post_reactions')
      .select('kind')
      .where('post_id', '=', change.postId)
      .where('user_id', '=', change.userId)
      .orderBy('kind')
      .execute();
    const changed = BigInt(affected ?? 0n) > 0n;
    if (changed) {
      await trx
        .updateTable('posts')
        .set({ reactions: JSON.stringify(reactions) as unknown as Record<string, number> })
        .where('id', '=', change.postId)
        .execute();
      await insertActivity(trx, activity);
    }
    return { changed, reactions, mine: mine.map((m) => m.kind) };
  });
}
