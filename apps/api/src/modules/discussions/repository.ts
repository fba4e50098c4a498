/**
 * Threads, posts, replies and mentions (reactions, revisions, read markers and search are in the
 * sub-folders beside this one). Every write commits together
 * with its activity (the outbox), and takes its locks in one order (posts, then the case, then the
 * outbox lock) so concurrent writers never deadlock.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import { activityBesideRow, ROW_ID } from '../../platform/outbox/beside-row/repository.ts';
import { writerTransaction } from '../../platform/outbox/repository.ts';

export interface ThreadCase {
  id: string;
  slug: string;
  title: string;
  /** The case's language (BCP 47): a post's language when it cannot be told from its text. */
  language: string;
  countries: string[];
  themes: string[];
}

export interface PostRow {
  id: string;
  caseSlug: string;
  parentId: string | null;
  authorId: string;
  authorHandle: string;
  authorName: string;
  /** The author deleted their account (their handle and name are gone). */
  authorFormer: boolean;
  body: string;
  bodyHtml: string;
  language: string;
  reactions: Record<string, number>;
  replyCount: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  /** Hidden by the moderators: others see a tombstone, the author and moderators the text and why. */
  hiddenAt: Date | null;
  hiddenReason: string | null;
  mentions: string[];
  myReactions: string[] | null;
  /** The reader blocked the author (their posts show collapsed to the reader). */
  authorBlocked: boolean;
}

export async function findThreadCase(db: Executor, slug: string): Promise<ThreadCase | undefined> {
  return db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'countries', 'themes', 'language'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function findThreadCaseById(db: Executor, id: string): Promise<ThreadCase> {
  return db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'countries', 'themes', 'language'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function caseTitles(db: Executor, slugs: string[]): Promise<Map<string, string>> {
  if (!slugs.length) return new Map();
  const rows = await db.selectFrom('cases').select(['slug', 'title']).where('slug', 'in', slugs).execute();
  return new Map(rows.map((r) => [r.slug, r.title]));
}

/** One query for posts with their authors, mentions and (for a viewer) their own reactions. */
function postQuery(db: Executor, viewerId: string | null) {
  return db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select([
      'p.id',
      'c.slug as case_slug',
      'p.parent_id',
      'p.author_id',
      'u.handle',
      'u.display_name',
      sql<boolean>`u.deleted_at is not null`.as('author_former'),
      'p.body',
      'p.body_html',
      'p.language',
      'p.reactions',
      'p.live_reply_count',
      'p.created_at',
      'p.edited_at',
      'p.deleted_at',
      'p.hidden_at',
      'p.hidden_reason',
      sql<string[]>`array(select mu.handle from post_mentions pm join users mu on mu.id = pm.user_id
        where pm.post_id = p.id order by mu.handle)`.as('mentions'),
      viewerId
        ? sql<string[]>`array(select r.kind from post_reactions r
            where r.post_id = p.id and r.user_id = ${viewerId} order by r.kind)`.as('mine')
        : sql<null>`null`.as('mine'),
      viewerId
        ? sql<boolean>`exists(select 1 from blocks b where b.blocker_id = ${viewerId} and b.blocked_id = p.author_id)`.as(
            'author_blocked',
          )
        : sql<boolean>`false`.as('author_blocked'),
    ]);
}

type PostRecord = Awaited<ReturnType<ReturnType<typeof postQuery>['executeTakeFirstOrThrow']>>;

function toPostRow(r: PostRecord): PostRow {
  return {
    id: r.id,
    caseSlug: r.case_slug,
    parentId: r.parent_id,
    authorId: r.author_id,
    authorHandle: r.handle,
    authorName: r.display_name,
    authorFormer: r.author_former,
    body: r.body,
    bodyHtml: r.body_html,
    language: r.language,
    reactions: r.reactions,
    replyCount: r.live_reply_count,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    hiddenAt: r.hidden_at,
    hiddenReason: r.hidden_reason,
    mentions: r.mentions,
    myReactions: r.mine,
    authorBlocked: r.author_blocked,
  };
}

/** A page of a thread, oldest first: live posts and the tombstones that still have live replies. */
export async function listPosts(
  db: Executor,
  slug: string,
  page: { after: string; limit: number },
  viewerId: string | null,
): Promise<{ rows: PostRow[]; caseId: string | null; lastRead: string | null }> {
  // The viewer's read marker rides along on every row, so a signed-in read stays one statement.
  const rows = await postQuery(db, viewerId)
    .select(
      viewerId
        ? sql<string | null>`(select cr.last_read_post_id from case_reads cr
            where cr.user_id = ${viewerId} and cr.case_id = p.case_id)`.as('last_read')
        : sql<null>`null`.as('last_read'),
    )
    .select('p.case_id')
    .where('c.slug', '=', slug)
    .where('p.id', '>', page.after)
    .where((eb) => eb.or([eb('p.deleted_at', 'is', null), eb('p.live_reply_count', '>', 0)]))
    .orderBy('p.id', 'asc')
    .limit(page.limit)
    .execute();
  const first = rows[0];
  return { rows: rows.map(toPostRow), caseId: first?.case_id ?? null, lastRead: first?.last_read ?? null };
}

export async function findPosts(db: Executor, ids: string[], viewerId: string | null = null): Promise<PostRow[]> {
  if (!ids.length) return [];
  const rows = await postQuery(db, viewerId).where('p.id', 'in', ids).orderBy('p.id').execute();
  return rows.map(toPostRow);
}

export async function findPost(db: Executor, id: string, viewerId: string | null = null): Promise<PostRow | undefined> {
  return (await findPosts(db, [id], viewerId))[0];
}

export async function findPostByClientId(
  db: Executor,
  authorId: string,
  clientId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('posts')
    .select('id')
    .where('author_id', '=', authorId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row?.id;
}

export async function userIdsForHandles(db: Executor, handles: string[]): Promise<Map<string, string>> {
  if (!handles.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'handle'])
    .where('handle', 'in', handles)
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.handle, r.id]));
}

interface PostLock {
  id: string;
  case_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  body_html: string;
  language: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
}

const LOCKED = [
  'id',
  'case_id',
  'parent_id',
  'author_id',
  'body',
  'body_html',
  'language',
  'created_at',
  'edited_at',
] as const;

/**
 * Locks a post's row: a conversation's top-level post before a reply in it, the order of every
 * reader that locks posts (the notifier's FOR SHARE, in activity order), so none deadlock.
 */
export async function lockPost(trx: Transaction<Schema>, id: string): Promise<PostLock | undefined> {
  return trx
    .selectFrom('posts')
    .select([...LOCKED, 'deleted_at', 'hidden_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** A post's id and parent, not locked (to lock its conversation's top-level post first). */
export const parentOf = (trx: Transaction<Schema>, id: string) =>
  trx.selectFrom('posts').select(['id', 'parent_id']).where('id', '=', id).executeTakeFirst();

export interface NewPostRow {
  caseId: string;
  parentId: string | null;
  authorId: string;
  clientId: string | null;
  body: string;
  bodyHtml: string;
  /** BCP 47 (posts.search stems in it). */
  language: string;
  /** Plain text of the rendered body (markdown.ts renderPost). */
  excerpt: string;
  mentionIds: string[];
  /** Only for demo data written with past dates. */
  createdAt?: Date;
}

/** The namespace of the per-thread advisory locks (the second key is the case id). */
const THREAD_LOCK = 7_331_003;

export type InsertPostResult =
  | { kind: 'created'; id: string; parentId: string | null; parentAuthorId: string | null; row: PostRow }
  | { kind: 'duplicate'; id: string }
  | { kind: 'parent_missing' }
  | { kind: 'parent_elsewhere' }
  | { kind: 'parent_deleted' };

/**
 * Inserts a post with its mentions, counts and activity in one transaction. A reply to a reply
 * joins the conversation of its top-level post (one level of nesting).
 */
export async function insertPost(
  db: Kysely<Schema>,
  post: NewPostRow,
  /** The post's activity; its `id` is ROW_ID, which the insert's statement replaces by the post's id. */
  activity: (created: { id: string; parentId: string | null; parentAuthorId: string | null }) => NewActivity,
): Promise<InsertPostResult> {
  try {
    // First (no xid yet), with the outbox writers' lock: the thread's. Posts in one case take xid, id
    // and commit in one order, so a client catching up "after post N" misses none; others don't wait.
    const threadLock = sql`pg_advisory_xact_lock(${THREAD_LOCK}, (${post.caseId}::bigint % 2147483647)::int)`;
    return await writerTransaction(
      db,
      async (trx): Promise<InsertPostResult> => {
        let parentId: string | null = null;
        let parentAuthorId: string | null = null;
        if (post.parentId) {
          // Only the conversation's top-level post is locked (a reply to a reply joins it).
          const asked = await parentOf(trx, post.parentId);
          const parent = asked && (await lockPost(trx, asked.parent_id ?? asked.id));
          if (!parent) return { kind: 'parent_missing' };
          if (parent.case_id !== post.caseId) return { kind: 'parent_elsewhere' };
          if (parent.deleted_at) return { kind: 'parent_deleted' };
          parentId = parent.id;
          parentAuthorId = parent.author_id;
          await trx
            .updateTable('posts')
            .set((eb) => ({ live_reply_count: eb('live_reply_count', '+', 1) }))
            .where('id', '=', parent.id)
            .execute();
        }
        // The case's count, the post, its mentions and its activity: one statement (one round trip).
        const created = await activityBesideRow(trx, activity({ id: ROW_ID, parentId, parentAuthorId }), {
          id: sql`p.id`,
          idKey: 'postId',
        });
        const row = await trx
          .with('bump', (qc) =>
            qc
              .updateTable('cases')
              .set((eb) => ({
                post_count: eb('post_count', '+', 1),
                last_activity_at: post.createdAt ? sql`greatest(last_activity_at, ${post.createdAt})` : sql`now()`,
              }))
              .where('id', '=', post.caseId)
              .returning('id'),
          )
          .with('p', (qc) =>
            qc
              .insertInto('posts')
              .values({
                case_id: post.caseId,
                parent_id: parentId,
                author_id: post.authorId,
                client_id: post.clientId,
                body: post.body,
                body_html: post.bodyHtml,
                language: post.language,
                excerpt: post.excerpt,
                ...(post.createdAt ? { created_at: post.createdAt } : {}),
              })
              .returning('id'),
          )
          .with('m', (qc) =>
            qc
              .insertInto('post_mentions')
              .columns(['post_id', 'user_id'])
              .expression((eb) =>
                eb
                  .selectFrom('p')
                  .select(['p.id as post_id', sql<string>`unnest(${post.mentionIds}::bigint[])`.as('user_id')]),
              )
              .returning('post_id'),
          )
          .with('a', (qc) =>
            qc
              .insertInto('activities')
              .columns(created.columns)
              .expression((eb) => eb.selectFrom('p').select(created.selection))
              .returning('id'),
          )
          .selectFrom('p')
          .select('p.id')
          .executeTakeFirstOrThrow();
        // The post as its author reads it, from inside the transaction: ready the moment it commits.
        const written = await findPost(trx, row.id, post.authorId);
        if (!written) throw new Error(`post ${row.id} not readable in its own transaction`);
        return { kind: 'created', id: row.id, parentId, parentAuthorId, row: written };
      },
      threadLock,
    );
  } catch (error) {
    // A concurrent retry with the same clientId won the race: return its post.
    if ((error as { code?: string }).code === '23505' && post.clientId) {
      const id = await findPostByClientId(db, post.authorId, post.clientId);
      if (id) return { kind: 'duplicate', id };
    }
    throw error;
  }
}

export interface PostOwner {
  id: string;
  caseId: string;
  parentId: string | null;
  authorId: string;
  deleted: boolean;
  /** Hidden by a moderator: what is written about it then is not public. */
  hidden: boolean;
}

export async function findPostOwner(db: Executor, id: string): Promise<PostOwner | undefined> {
  const row = await db
    .selectFrom('posts')
    .select(['id', 'case_id', 'parent_id', 'author_id', 'deleted_at', 'hidden_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      caseId: row.case_id,
      parentId: row.parent_id,
      authorId: row.author_id,
      deleted: row.deleted_at !== null,
      hidden: row.hidden_at !== null,
    }
  );
}
