/**
 * The posts of a member who deletes their account (privacy/service.ts), in its transaction: kept
 * under "a former member" (anonymised), or deleted as DELETE /posts/:id deletes them (tombstones
 * where live replies remain), their text and every earlier version gone. Locks are taken in the
 * usual order: posts, then cases, then the outbox (insertActivities).
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivities } from '../../../platform/outbox/repository.ts';

export type DepartureTransaction = Transaction<Schema>;

/** A live post of the member, with what its activity says about it. */
export interface LivePost {
  id: string;
  parentId: string | null;
  caseSlug: string;
  countries: string[];
  themes: string[];
}

/** Locks every post of the member (id order) and returns the live ones. */
async function lockPostsOf(trx: DepartureTransaction, userId: string): Promise<LivePost[]> {
  const rows = await trx
    .selectFrom('posts as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['p.id', 'p.parent_id', 'p.deleted_at', 'c.slug', 'c.countries', 'c.themes'])
    .where('p.author_id', '=', userId)
    .orderBy('p.id')
    .forUpdate('p')
    .execute();
  return rows
    .filter((r) => r.deleted_at === null)
    .map((r) => ({ id: r.id, parentId: r.parent_id, caseSlug: r.slug, countries: r.countries, themes: r.themes }));
}

/** Keeps the member's posts (their bodies too) under "a former member"; returns the live ones. */
export async function anonymisePosts(trx: DepartureTransaction, userId: string): Promise<LivePost[]> {
  const live = await lockPostsOf(trx, userId);
  // The client's idempotency keys came from the member's browser: nothing to keep.
  await trx.updateTable('posts').set({ client_id: null }).where('author_id', '=', userId).execute();
  return live;
}

/** Deletes the member's posts: tombstones while live replies remain, no text, no earlier versions. */
export async function deletePosts(
  trx: DepartureTransaction,
  userId: string,
  activities: (live: LivePost[]) => NewActivity[],
): Promise<LivePost[]> {
  const live = await lockPostsOf(trx, userId);
  const ids = live.map((p) => p.id);
  if (ids.length) {
    // Each live reply deleted is one live reply fewer under its parent (as deletePost counts).
    await sql`
      update posts set live_reply_count = greatest(posts.live_reply_count - gone.n, 0)
      from (select parent_id, count(*)::int as n from posts
            where id = any(${ids}::bigint[]) and parent_id is not null group by parent_id) gone
      where posts.id = gone.parent_id
    `.execute(trx);
    await sql`
      update cases set post_count = greatest(cases.post_count - gone.n, 0)
      from (select case_id, count(*)::int as n from posts where id = any(${ids}::bigint[]) group by case_id) gone
      where cases.id = gone.case_id
    `.execute(trx);
    await trx
      .updateTable('posts')
      .set({ deleted_at: sql<Date>`now()`, deleted_by: userId })
      .where('id', 'in', ids)
      .execute();
  }
  // Every post of theirs, deleted now or before: no text stays (nor in the search index, made of it).
  await trx
    .updateTable('posts')
    .set({ body: '', body_html: '', excerpt: '', client_id: null })
    .where('author_id', '=', userId)
    .execute();
  const all = trx.selectFrom('posts').select('id').where('author_id', '=', userId);
  await trx.deleteFrom('post_revisions').where('post_id', 'in', all).execute();
  await trx.deleteFrom('post_mentions').where('post_id', 'in', all).execute();
  await insertActivities(trx, activities(live));
  return live;
}

/** Their reactions go, and the counts of the posts they reacted to are taken again. */
export async function deleteReactionsOf(trx: DepartureTransaction, userId: string): Promise<void> {
  const gone = await trx.deleteFrom('post_reactions').where('user_id', '=', userId).returning('post_id').execute();
  const posts = [...new Set(gone.map((r) => r.post_id))];
  if (!posts.length) return;
  await sql`
    update posts p set reactions = coalesce((
      select jsonb_object_agg(kind, n) from (
        select kind, count(*)::int as n from post_reactions r where r.post_id = p.id group by kind
      ) k), '{}'::jsonb)
    where p.id = any(${posts}::bigint[])
  `.execute(trx);
}

/** Read markers, and the mentions of them in others' posts (the text itself is the others'). */
export async function forgetReaderOf(trx: DepartureTransaction, userId: string): Promise<void> {
  await trx.deleteFrom('case_reads').where('user_id', '=', userId).execute();
  await trx.deleteFrom('post_mentions').where('user_id', '=', userId).execute();
}

/** Writes the activities announcing the posts changed (in the caller's transaction). */
export async function announce(trx: DepartureTransaction, activities: NewActivity[]): Promise<void> {
  await insertActivities(trx, activities);
}
