/** Read markers: where a member stopped reading each case's thread, and what is unread since. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export async function lastReadPostId(db: Executor, userId: string, caseId: string): Promise<string | null> {
  const row = await db
    .selectFrom('case_reads')
    .select('last_read_post_id')
    .where('user_id', '=', userId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row?.last_read_post_id ?? null;
}

/**
 * What is personal in a thread, in one statement: the members the reader blocked (by handle), where
 * they stopped reading that case, and their own reactions to its posts (the rest of a page is the
 * same for everyone).
 */
export async function readerState(
  db: Executor,
  userId: string,
  slug: string,
): Promise<{ mine: Map<string, string[]>; lastRead: string | null; blocked: Set<string> }> {
  const { rows } = await sql<{
    last_read: string | null;
    mine: { id: string; kinds: string[] }[] | null;
    blocked: string[] | null;
  }>`
    select
      (select array_agg(u.handle) from blocks b join users u on u.id = b.blocked_id
        where b.blocker_id = ${userId}) as blocked,
      (select cr.last_read_post_id from case_reads cr join cases c on c.id = cr.case_id
        where cr.user_id = ${userId} and c.slug = ${slug}) as last_read,
      (select json_agg(json_build_object('id', r.post_id::text, 'kinds', r.kinds))
        from (select pr.post_id, array_agg(pr.kind order by pr.kind) as kinds
          from post_reactions pr join posts p on p.id = pr.post_id join cases c on c.id = p.case_id
          where pr.user_id = ${userId} and c.slug = ${slug} group by pr.post_id) r) as mine
  `.execute(db);
  const row = rows[0];
  return {
    mine: new Map((row?.mine ?? []).map((m) => [m.id, m.kinds])),
    lastRead: row?.last_read ?? null,
    blocked: new Set(row?.blocked ?? []),
  };
}

/** Moves the read marker forward (never back), to a post of that case at most. */
export async function markRead(db: Executor, userId: string, caseId: string, postId: string): Promise<void> {
  await sql`
    insert into case_reads (user_id, case_id, last_read_post_id)
    select ${userId}, ${caseId}, coalesce(max(id), 0) from posts where case_id = ${caseId} and id <= ${postId}
    on conflict (user_id, case_id) do update
      set last_read_post_id = greatest(case_reads.last_read_post_id, excluded.last_read_post_id),
          updated_at = now()
  `.execute(db);
}

/** Unread live posts by others in the cases this member has visited, among the given slugs. */
export async function unreadCounts(
  db: Executor,
  userId: string,
  slugs: string[],
): Promise<{ slug: string; unread: number; lastReadPostId: string }[]> {
  if (!slugs.length) return [];
  const rows = await db
    .selectFrom('case_reads as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select([
      'c.slug',
      'r.last_read_post_id',
      sql<string>`(select count(*) from posts p where p.case_id = r.case_id and p.id > r.last_read_post_id
        and p.deleted_at is null and p.hidden_at is null and p.author_id <> ${userId})`.as('unread'),
    ])
    .where('r.user_id', '=', userId)
    .where('c.slug', 'in', slugs)
    .execute();
  return rows.map((r) => ({ slug: r.slug, unread: Number(r.unread), lastReadPostId: r.last_read_post_id }));
}

/** Whether the author of post `postId` blocked `userId` (who then cannot reply to it). */
export async function postAuthorBlocked(db: Executor, postId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('posts as p')
    .innerJoin('blocks as b', 'b.blocker_id', 'p.author_id')
    .select('p.id')
    .where('p.id', '=', postId)
    .where('b.blocked_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
