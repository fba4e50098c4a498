/**
 * Posts, replies, reactions, revisions, mentions and read markers. Every write commits together
 * with its activity (the outbox), and takes its locks in one order (posts, then the case, then the
 * outbox lock) so concurrent writers never deadlock.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import { insertActivity, lockOutbox, type NewActivity } from '../../platform/outbox/repository.ts';

export interface ThreadCase {
  id: string;
  slug: string;
  title: string;
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
  body: string;
  bodyHtml: string;
  reactions: Record<string, number>;
  replyCount: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  mentions: string[];
  myReactions: string[] | null;
}

export async function findThreadCase(db: Executor, slug: string): Promise<ThreadCase | undefined> {
  return db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'countries', 'themes'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function findThreadCaseById(db: Executor, id: string): Promise<ThreadCase> {
  return db
    .selectFrom('cases')
    .select(['id', 'slug', 'title', 'countries', 'themes'])
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
      'p.body',
      'p.body_html',
      'p.reactions',
      'p.live_reply_count',
      'p.created_at',
      'p.edited_at',
      'p.deleted_at',
      sql<string[]>`array(select mu.handle from post_mentions pm join users mu on mu.id = pm.user_id
        where pm.post_id = p.id order by mu.handle)`.as('mentions'),
      viewerId
        ? sql<string[]>`array(select r.kind from post_reactions r
            where r.post_id = p.id and r.user_id = ${viewerId} order by r.kind)`.as('mine')
        : sql<null>`null`.as('mine'),
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
    body: r.body,
    bodyHtml: r.body_html,
    reactions: r.reactions,
    replyCount: r.live_reply_count,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    mentions: r.mentions,
    myReactions: r.mine,
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
  const rows = await db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', handles).execute();
  return new Map(rows.map((r) => [r.handle, r.id]));
}

interface PostLock {
  id: string;
  case_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  body_html: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

async function lockPost(trx: Transaction<Schema>, id: string): Promise<PostLock | undefined> {
  return trx
    .selectFrom('posts')
    .select(['id', 'case_id', 'parent_id', 'author_id', 'body', 'body_html', 'created_at', 'edited_at', 'deleted_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface NewPostRow {
  caseId: string;
  parentId: string | null;
  authorId: string;
  clientId: string | null;
  body: string;
  bodyHtml: string;
  /** Plain text of the rendered body (markdown.ts renderPost). */
  excerpt: string;
  mentionIds: string[];
  /** Only for demo data written with past dates. */
  createdAt?: Date;
}

export type InsertPostResult =
  | { kind: 'created'; id: string; parentId: string | null; parentAuthorId: string | null }
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
  activity: (created: { id: string; parentId: string | null; parentAuthorId: string | null }) => NewActivity,
): Promise<InsertPostResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<InsertPostResult> => {
      let parentId: string | null = null;
      let parentAuthorId: string | null = null;
      if (post.parentId) {
        let parent = await lockPost(trx, post.parentId);
        if (parent?.parent_id) parent = await lockPost(trx, parent.parent_id);
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
      await trx
        .updateTable('cases')
        .set((eb) => ({
          post_count: eb('post_count', '+', 1),
          last_activity_at: post.createdAt ? sql`greatest(last_activity_at, ${post.createdAt})` : sql`now()`,
        }))
        .where('id', '=', post.caseId)
        .execute();
      // From here on, post ids are handed out in commit order (see lockOutbox).
      await lockOutbox(trx);
      const row = await trx
        .insertInto('posts')
        .values({
          case_id: post.caseId,
          parent_id: parentId,
          author_id: post.authorId,
          client_id: post.clientId,
          body: post.body,
          body_html: post.bodyHtml,
          excerpt: post.excerpt,
          ...(post.createdAt ? { created_at: post.createdAt } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (post.mentionIds.length) {
        await trx
          .insertInto('post_mentions')
          .values(post.mentionIds.map((userId) => ({ post_id: row.id, user_id: userId })))
          .execute();
      }
      await insertActivity(trx, activity({ id: row.id, parentId, parentAuthorId }));
      return { kind: 'created', id: row.id, parentId, parentAuthorId };
    });
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
}

export async function findPostOwner(db: Executor, id: string): Promise<PostOwner | undefined> {
  const row = await db
    .selectFrom('posts')
    .select(['id', 'case_id', 'parent_id', 'author_id', 'deleted_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      caseId: row.case_id,
      parentId: row.parent_id,
      authorId: row.author_id,
      deleted: row.deleted_at !== null,
    }
  );
}

/** Replaces a post's body, keeping the previous version; false when the post is gone. */
export async function updatePostBody(
  db: Kysely<Schema>,
  edit: { id: string; editorId: string; body: string; bodyHtml: string; excerpt: string; mentionIds: string[] },
  activity: NewActivity,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await lockPost(trx, edit.id);
    if (!current || current.deleted_at) return false;
    if (current.body === edit.body) return true;
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
      .set({ body: edit.body, body_html: edit.bodyHtml, excerpt: edit.excerpt, edited_at: sql<Date>`now()` })
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
    return true;
  });
}

/** Marks a post deleted (the row stays: a tombstone while it has live replies); false if already gone. */
export async function deletePost(
  db: Kysely<Schema>,
  del: { id: string; deletedBy: string },
  activity: NewActivity,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await lockPost(trx, del.id);
    if (!current || current.deleted_at) return false;
    if (current.parent_id) {
      await lockPost(trx, current.parent_id);
      await trx
        .updateTable('posts')
        .set((eb) => ({ live_reply_count: eb('live_reply_count', '-', 1) }))
        .where('id', '=', current.parent_id)
        .execute();
    }
    await trx
      .updateTable('posts')
      .set({ deleted_at: sql<Date>`now()`, deleted_by: del.deletedBy })
      .where('id', '=', del.id)
      .execute();
    await trx
      .updateTable('cases')
      .set((eb) => ({ post_count: sql<number>`greatest(${eb.ref('post_count')} - 1, 0)` }))
      .where('id', '=', current.case_id)
      .execute();
    await insertActivity(trx, activity);
    return true;
  });
}

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
  return db.transaction().execute(async (trx) => {
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

export interface RevisionRow {
  id: string;
  body: string;
  bodyHtml: string;
  writtenAt: Date;
  replacedAt: Date;
  replacedByHandle: string | null;
  replacedByName: string | null;
  redactedAt: Date | null;
}

export async function listRevisions(db: Executor, postId: string): Promise<RevisionRow[]> {
  const rows = await db
    .selectFrom('post_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.replaced_by')
    .select([
      'r.id',
      'r.body',
      'r.body_html',
      'r.written_at',
      'r.replaced_at',
      'r.redacted_at',
      'u.handle',
      'u.display_name',
    ])
    .where('r.post_id', '=', postId)
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    bodyHtml: r.body_html,
    writtenAt: r.written_at,
    replacedAt: r.replaced_at,
    replacedByHandle: r.handle,
    replacedByName: r.display_name,
    redactedAt: r.redacted_at,
  }));
}

/** The newest revision id of a post ('0' when it was never edited). */
export async function latestRevisionId(db: Executor, postId: string): Promise<string> {
  const row = await db
    .selectFrom('post_revisions')
    .select(sql<string>`coalesce(max(id), 0)::text`.as('id'))
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return row?.id ?? '0';
}

/** The first revision of a post written by `editorId` after revision `afterId` (their edit's). */
export async function revisionReplacedBy(
  db: Executor,
  postId: string,
  editorId: string,
  afterId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('post_revisions')
    .select('id')
    .where('post_id', '=', postId)
    .where('replaced_by', '=', editorId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export type RedactResult = 'redacted' | 'already' | 'missing';

/**
 * Blanks the text of one earlier version of a post in place (body and HTML: the text is gone, not
 * hidden) and records who, when and why, with its activity, in one transaction. A version already
 * redacted keeps its first record.
 */
export async function redactRevision(
  db: Kysely<Schema>,
  redaction: { postId: string; revisionId: string; redactedBy: string; reason: string },
  activity: NewActivity,
): Promise<RedactResult> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockPost(trx, redaction.postId))) return 'missing';
    const revision = await trx
      .selectFrom('post_revisions')
      .select(['id', 'redacted_at'])
      .where('id', '=', redaction.revisionId)
      .where('post_id', '=', redaction.postId)
      .forUpdate()
      .executeTakeFirst();
    if (!revision) return 'missing';
    if (revision.redacted_at) return 'already';
    await trx
      .updateTable('post_revisions')
      .set({
        body: '',
        body_html: '',
        redacted_at: sql<Date>`now()`,
        redacted_by: redaction.redactedBy,
        redaction_reason: redaction.reason,
      })
      .where('id', '=', revision.id)
      .execute();
    await insertActivity(trx, activity);
    return 'redacted';
  });
}

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
 * What is personal in a page of a thread, in one statement: the reader's own reactions to those
 * posts and where they stopped reading that case (the rest of the page is the same for everyone).
 */
export async function readerView(
  db: Executor,
  userId: string,
  slug: string,
  postIds: string[],
): Promise<{ mine: Map<string, string[]>; lastRead: string | null }> {
  const { rows } = await sql<{ last_read: string | null; mine: { id: string; kinds: string[] }[] | null }>`
    select
      (select cr.last_read_post_id from case_reads cr join cases c on c.id = cr.case_id
        where cr.user_id = ${userId} and c.slug = ${slug}) as last_read,
      (select json_agg(json_build_object('id', r.post_id::text, 'kinds', r.kinds))
        from (select post_id, array_agg(kind order by kind) as kinds from post_reactions
          where user_id = ${userId} and post_id = any(${postIds}::bigint[]) group by post_id) r) as mine
  `.execute(db);
  const row = rows[0];
  return {
    mine: new Map((row?.mine ?? []).map((m) => [m.id, m.kinds])),
    lastRead: row?.last_read ?? null,
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
        and p.deleted_at is null and p.author_id <> ${userId})`.as('unread'),
    ])
    .where('r.user_id', '=', userId)
    .where('c.slug', 'in', slugs)
    .execute();
  return rows.map((r) => ({ slug: r.slug, unread: Number(r.unread), lastReadPostId: r.last_read_post_id }));
}

export interface SearchRow {
  type: 'case' | 'post';
  id: string;
  slug: string;
  /** ts_rank_cd (a PostgreSQL real: it round-trips exactly through a JSON number). */
  rank: number;
  snippet: string;
}

/** Where a page of search results starts: after this hit in (rank desc, type, id desc) order. */
export interface SearchAfter {
  rank: number;
  type: 'case' | 'post';
  id: string;
}

const HEADLINE = `StartSel=\u0001, StopSel=\u0002, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/** Headlines are built from this much of a text at most (a match further on is still found and ranked). */
const HEADLINE_SOURCE_MAX = 5000;

/**
 * Cases and live posts matching a web-search query, best first (ts_rank_cd, then cases before
 * posts, then newest id), one keyset page at a time. Matches are ranked and the page is cut
 * first; headlines are built for that page's rows only, from a bounded prefix of each text.
 */
export async function search(
  db: Executor,
  q: string,
  type: 'all' | 'cases' | 'posts',
  page: { after?: SearchAfter | undefined; limit: number },
): Promise<{ rows: SearchRow[]; cases: number; posts: number }> {
  const query = sql`websearch_to_tsquery('english', ${q})`;
  const casesPart = sql`select 'case'::text as type, c.id, c.slug, ts_rank_cd(c.search, ${query}) as rank
    from cases c where c.search @@ ${query}`;
  const postsPart = sql`select 'post'::text as type, p.id, c.slug, ts_rank_cd(p.search, ${query}) as rank
    from posts p join cases c on c.id = p.case_id where p.deleted_at is null and p.search @@ ${query}`;
  const union = type === 'cases' ? casesPart : type === 'posts' ? postsPart : sql`${casesPart} union all ${postsPart}`;
  const after = page.after;
  const rest = after
    ? sql`where hits.rank < ${after.rank}::real or (hits.rank = ${after.rank}::real and (hits.type > ${after.type}
        or (hits.type = ${after.type} and hits.id < ${after.id}::bigint)))`
    : sql``;
  const { rows } = await sql<SearchRow>`
    with page as (
      select hits.type, hits.id, hits.slug, hits.rank from (${union}) hits ${rest}
      order by hits.rank desc, hits.type, hits.id desc limit ${page.limit}
    )
    select page.type, page.id::text as id, page.slug, page.rank,
      case page.type
        when 'case' then (select ts_headline('english', left(c.summary || ' ' || c.body, ${HEADLINE_SOURCE_MAX}),
          ${query}, ${HEADLINE}) from cases c where c.id = page.id)
        else (select ts_headline('english', left(p.body, ${HEADLINE_SOURCE_MAX}), ${query}, ${HEADLINE})
          from posts p where p.id = page.id)
      end as snippet
    from page order by page.rank desc, page.type, page.id desc
  `.execute(db);
  const counts = await sql<{ cases: string; posts: string }>`
    select (select count(*) from cases c where c.search @@ ${query}) as cases,
           (select count(*) from posts p where p.deleted_at is null and p.search @@ ${query}) as posts
  `.execute(db);
  const total = counts.rows[0];
  return { rows, cases: Number(total?.cases ?? 0), posts: Number(total?.posts ?? 0) };
}
