/** What a hidden post must stop counting for: the post count of its case (deleted posts count out already). */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

/**
 * Takes a live (not deleted) post out of its case's public post count, or puts it back; nothing
 * for a deleted post, which its deletion counted out.
 */
export async function countPost(db: Executor, postId: string, delta: 1 | -1): Promise<void> {
  await sql`
    update cases set post_count = greatest(post_count + ${delta}, 0)
    where id = (select case_id from posts where id = ${postId} and deleted_at is null)
  `.execute(db);
}
