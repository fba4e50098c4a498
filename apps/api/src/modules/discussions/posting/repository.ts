/**
 * Writing a new post: its case's count, the post, its mentions and its activity in one statement,
 * inside the thread's transaction (the outbox writers' lock and the thread's first). A post that
 * replies to none needs nothing read inside it: its transaction is sent in one round trip.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import {
  activityBesideRow,
  besideRow,
  ROW_ID,
  type ActivityBesideRow,
} from '../../../platform/outbox/beside-row/repository.ts';
import { pipelinedWriterTransaction, writerTransaction } from '../../../platform/outbox/repository.ts';
import {
  findPostByClientId,
  lockPost,
  parentOf,
  postColumns,
  previousInThread,
  toPostRow,
  type PostRow,
} from '../repository.ts';

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

/** What posting answers: the post; when it is new, the id of its `created` activity too (the outbox's pokeAfter). */
export interface PostCreated<P> {
  post: P;
  created: boolean;
  activityId?: string;
}

export type InsertPostResult =
  | {
      kind: 'created';
      id: string;
      parentId: string | null;
      parentAuthorId: string | null;
      row: PostRow;
      /** The id of its `created` activity. */
      activityId: string;
      /** The id of the thread's post before it, or null for the first. */
      previousId: string | null;
    }
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
    // Literals (the case id is a number): the lock's statement goes out with `begin` (lazy-begin.ts).
    const threadLock = sql`pg_advisory_xact_lock(${sql.lit(THREAD_LOCK)}, (${sql.lit(BigInt(post.caseId))} % 2147483647)::int)`;
    if (!post.parentId) {
      // Nothing to read first: the locks, the statement and the commit go out at once (one round trip).
      const created = besideRow(activity({ id: ROW_ID, parentId: null, parentAuthorId: null }), POST_ID);
      const statement = newPost(db, post, null, created);
      const [rows] = await pipelinedWriterTransaction(db, [statement], threadLock);
      const row = rows?.[0] as Awaited<ReturnType<typeof statement.executeTakeFirstOrThrow>> | undefined;
      if (!row) throw new Error('the new post was not returned by its statement');
      return createdResult(row, null, null);
    }
    return await writerTransaction(
      db,
      async (trx): Promise<InsertPostResult> => {
        // Only the conversation's top-level post is locked (a reply to a reply joins it).
        const asked = await parentOf(trx, post.parentId!);
        const parent = asked && (await lockPost(trx, asked.parent_id ?? asked.id));
        if (!parent) return { kind: 'parent_missing' };
        if (parent.case_id !== post.caseId) return { kind: 'parent_elsewhere' };
        if (parent.deleted_at) return { kind: 'parent_deleted' };
        await trx
          .updateTable('posts')
          .set((eb) => ({ live_reply_count: eb('live_reply_count', '+', 1) }))
          .where('id', '=', parent.id)
          .execute();
        const created = await activityBesideRow(
          trx,
          activity({ id: ROW_ID, parentId: parent.id, parentAuthorId: parent.author_id }),
          POST_ID,
        );
        const row = await newPost(trx, post, parent.id, created).executeTakeFirstOrThrow();
        return createdResult(row, parent.id, parent.author_id);
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

/** Where the post's activity finds the post's id: the statement's `p`. */
const POST_ID = { id: sql<string>`p.id`, idKey: 'postId' };

/**
 * The case's count, the post, its mentions and its activity: one statement, which answers the post
 * as its author reads it (postQuery's columns), its activity's id and the thread's post before it.
 */
function newPost(db: Kysely<Schema>, post: NewPostRow, parentId: string | null, created: ActivityBesideRow) {
  return (
    db
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
          .returningAll(),
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
      // Its mentions from the list just written, which the statement's own reads do not see: ready
      // the moment it commits.
      .selectFrom('p')
      .innerJoin('users as u', 'u.id', 'p.author_id')
      .innerJoin('cases as c', 'c.id', 'p.case_id')
      .select(
        postColumns(
          post.authorId,
          sql<string[]>`array(select mu.handle from users mu
            where mu.id = any(${post.mentionIds}::bigint[]) order by mu.handle)`,
        ),
      )
      .select(sql<string>`(select a.id::text from a)`.as('activity_id'))
      // The thread's post before it (its live post:created says so: a client can tell it missed
      // one). Under the thread's lock every earlier post has committed; the new row is not seen.
      .select(previousInThread('p').as('previous_id'))
  );
}

function createdResult(
  row: Awaited<ReturnType<ReturnType<typeof newPost>['executeTakeFirstOrThrow']>>,
  parentId: string | null,
  parentAuthorId: string | null,
): InsertPostResult {
  return {
    kind: 'created',
    id: row.id,
    parentId,
    parentAuthorId,
    row: toPostRow(row),
    activityId: row.activity_id,
    previousId: row.previous_id,
  };
}
