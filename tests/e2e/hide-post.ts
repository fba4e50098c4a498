/**
 * Hides a post in the e2e server's database as a moderator's hide does: `hidden_at` and
 * `hidden_reason` set, and forgetHiddenPost in the same transaction. The real way is the
 * moderation endpoint (POST /api/v1/moderation/posts/:id/hidden), which also writes the activity
 * that empties the server's public cache at once (here its entries expire within seconds).
 * Run as `node tests/e2e/hide-post.ts <postId> <reason>` with DATABASE_URL (tests/e2e/hiding.ts).
 */
import { createDatabase } from '@opsi/db/database';
import { forgetHiddenPost } from '../../apps/api/src/modules/discussions/visibility/service.ts';

const [postId, reason = 'hidden by a journey'] = process.argv.slice(2);
if (!postId || !/^\d+$/.test(postId)) throw new Error('usage: hide-post.ts <postId> [reason]');
const database = await createDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
try {
  await database.kysely.transaction().execute(async (trx) => {
    const hidden = await trx
      .updateTable('posts')
      .set({ hidden_at: new Date(), hidden_reason: reason })
      .where('id', '=', postId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (hidden.numUpdatedRows) await forgetHiddenPost(trx, postId);
  });
} finally {
  await database.close();
}
