/**
 * Threads, posts, replies and mentions (writing a new post, reactions, revisions, read markers and
 * search are in the sub-folders beside this one). Every write commits together
 * with its activity (the outbox), and takes its locks in one order (posts, then the case, then the
 * outbox lock) so concurrent writers never deadlock.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';

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

/**
 * What a post row is read as, from `p` (a post), `u` (its author) and `c` (its case): with the
 * handles it mentions (`mentions`, sorted) and, for a viewer, their own reactions and whether they
 * blocked the author.
 */
export function postColumns(viewerId: string | null, mentions: RawBuilder<string[]>) {
  return [
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
    mentions.as('mentions'),
    viewerId
      ? sql<string[]>`array(select r.kind from post_reactions r
          where r.post_id = p.id and r.user_id = ${viewerId} order by r.kind)`.as('mine')
      : sql<null>`null`.as('mine'),
    viewerId
      ? sql<boolean>`exists(select 1 from blocks b where b.blocker_id = ${viewerId} and b.blocked_id = p.author_id)`.as(
          'author_blocked',
        )
      : sql<boolean>`false`.as('author_blocked'),
  ] as const;
}

/** One query for posts with their authors, mentions and (for a viewer) their own reactions. */
function postQuery(db: Executor, viewerId: string | null) {
  return db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(
      postColumns(
        viewerId,
        sql<string[]>`array(select mu.handle from post_mentions pm join users mu on mu.id = pm.user_id
          where pm.post_id = p.id order by mu.handle)`,
      ),
    );
}

type PostRecord = Awaited<ReturnType<ReturnType<typeof postQuery>['executeTakeFirstOrThrow']>>;

export function toPostRow(r: PostRecord): PostRow {
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

/** The id of the post before `post` (a table alias) in its thread, or null (an index-only look back). */
export const previousInThread = (post: string) =>
  sql<
    string | null
  >`(select max(q.id)::text from posts q where q.case_id = ${sql.ref(`${post}.case_id`)} and q.id < ${sql.ref(`${post}.id`)})`;

/**
 * For each post, the id of its thread's post before it (null for the first): what its live
 * post:created carries, so a client can tell it missed one.
 */
export async function previousPostIds(db: Executor, ids: string[]): Promise<Map<string, string | null>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('posts as p')
    .select(['p.id', previousInThread('p').as('previous_id')])
    .where('p.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.previous_id]));
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
