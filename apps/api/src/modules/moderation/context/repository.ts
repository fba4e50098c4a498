/** What the moderation queue shows around a report: the post in its thread, a member's record, the basics. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface QueuePostRow {
  id: string;
  caseId: string;
  parentId: string | null;
  authorId: string;
  authorHandle: string;
  authorName: string;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  hiddenReason: string | null;
}

function queuePosts(db: Executor) {
  return db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.case_id',
      'p.parent_id',
      'p.author_id',
      'u.handle',
      'u.display_name',
      'p.body',
      'p.body_html',
      'p.created_at',
      'p.deleted_at',
      'p.hidden_at',
      'p.hidden_reason',
    ]);
}

type QueuePostRecord = Awaited<ReturnType<ReturnType<typeof queuePosts>['executeTakeFirstOrThrow']>>;

function toQueuePostRow(r: QueuePostRecord): QueuePostRow {
  return {
    id: r.id,
    caseId: r.case_id,
    parentId: r.parent_id,
    authorId: r.author_id,
    authorHandle: r.handle,
    authorName: r.display_name,
    body: r.body,
    bodyHtml: r.body_html,
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
    hiddenAt: r.hidden_at,
    hiddenReason: r.hidden_reason,
  };
}

/** A reported post, with its text whatever its state (moderators read it). */
export async function queuePost(db: Executor, id: string): Promise<QueuePostRow | undefined> {
  const row = await queuePosts(db).where('p.id', '=', id).executeTakeFirst();
  return row && toQueuePostRow(row);
}

/** The live posts just before and after this one in its thread, in order. */
export async function postsAround(db: Executor, post: QueuePostRow, each: number): Promise<QueuePostRow[]> {
  const [before, after] = await Promise.all([
    queuePosts(db)
      .where('p.case_id', '=', post.caseId)
      .where('p.id', '<', post.id)
      .where('p.deleted_at', 'is', null)
      .orderBy('p.id', 'desc')
      .limit(each)
      .execute(),
    queuePosts(db)
      .where('p.case_id', '=', post.caseId)
      .where('p.id', '>', post.id)
      .where('p.deleted_at', 'is', null)
      .orderBy('p.id', 'asc')
      .limit(each)
      .execute(),
  ]);
  return [...before.reverse().map(toQueuePostRow), post, ...after.map(toQueuePostRow)];
}

export async function caseOfPost(db: Executor, caseId: string): Promise<{ slug: string; title: string }> {
  return db.selectFrom('cases').select(['slug', 'title']).where('id', '=', caseId).executeTakeFirstOrThrow();
}

export async function eventBasics(
  db: Executor,
  id: string,
): Promise<{ slug: string; title: string; startsAt: Date } | undefined> {
  const row = await db
    .selectFrom('events')
    .select(['slug', 'title', 'starts_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { slug: row.slug, title: row.title, startsAt: row.starts_at };
}

export async function caseBasics(db: Executor, id: string): Promise<{ slug: string; title: string } | undefined> {
  return db.selectFrom('cases').select(['slug', 'title']).where('id', '=', id).executeTakeFirst();
}

/** A member's record: who they are, since when, how many posts (live, hidden). */
export async function memberRecord(
  db: Executor,
  userId: string,
): Promise<
  { handle: string; displayName: string; role: string; joinedAt: Date; posts: number; hidden: number } | undefined
> {
  const row = await db
    .selectFrom('users as u')
    .select([
      'u.handle',
      'u.display_name',
      'u.role',
      'u.created_at',
      sql<string>`(select count(*) from posts p where p.author_id = u.id and p.deleted_at is null)`.as('posts'),
      sql<string>`(select count(*) from posts p where p.author_id = u.id and p.deleted_at is null
        and p.hidden_at is not null)`.as('hidden'),
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return (
    row && {
      handle: row.handle,
      displayName: row.display_name,
      role: row.role,
      joinedAt: row.created_at,
      posts: Number(row.posts),
      hidden: Number(row.hidden),
    }
  );
}
