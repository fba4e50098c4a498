/**
 * A thread as a signed-in member reads it: the public page (cached) with what is the reader's own
 * (their reactions, read marker and blocks, kept in memory by `readers`), and the hidden posts they
 * may read (their own; all of them for moderators).
 */
import type { Post, PostList, PostListQuery, ReactionKind } from '@opsi/contracts/discussions';
import type { Executor } from '@opsi/db/executor';
import * as repo from '../repository.ts';
import { reveals, toPost, type PostActor } from '../service.ts';
import { readerBody, readerChunks, type ThreadPage } from './reader-body.ts';
import type { ReaderStates } from './states.ts';

export function createReading(
  db: Executor,
  readers: ReaderStates,
  threadCase: (slug: string) => Promise<repo.ThreadCase>,
) {
  return {
    /**
     * A public page (as everyone sees it, e.g. from the public cache) made the reader's own: their
     * reactions on each post, their read marker and who they blocked (kept in memory, `readers`),
     * and the hidden posts they may read (their own; all of them for moderators), read fresh.
     */
    async forReader(page: PostList, slug: string, viewer: PostActor): Promise<PostList> {
      const { mine, lastRead, blocked } = await readers.get(viewer.id, slug);
      const hiddenIds = page.items.filter((p) => p.hidden).map((p) => p.id);
      const revealed = new Map(
        (hiddenIds.length ? await repo.findPosts(db, hiddenIds) : [])
          .filter((row) => reveals(viewer, row))
          .map((row) => [row.id, toPost(row, true)]),
      );
      const items = page.items.map((p) => ({
        ...(revealed.get(p.id) ?? p),
        myReactions: (mine.get(p.id) ?? []) as ReactionKind[],
      }));
      return {
        ...page,
        items: blocked.size
          ? items.map((p) => (blocked.has(p.author.handle) ? { ...p, authorBlocked: true } : p))
          : items,
        lastReadPostId: lastRead === null || lastRead === '0' ? null : lastRead,
      };
    },

    /**
     * A public page of a thread as the public cache keeps it: the page everyone sees, and the text
     * of its hidden posts for those who may read them (their authors, moderators).
     */
    async page(slug: string, query: PostListQuery): Promise<ThreadPage> {
      const limit = query.limit ?? 50;
      const listed = await repo.listPosts(db, slug, { after: query.after ?? '0', limit: limit + 1 }, null);
      if (!listed.rows.length) await threadCase(slug);
      const rows = listed.rows.slice(0, limit);
      return {
        list: {
          items: rows.map((row) => toPost(row)),
          nextCursor: listed.rows.length > limit ? (rows[rows.length - 1]?.id ?? null) : null,
          lastReadPostId: null,
        },
        hidden: new Map(
          rows
            .filter((row) => row.hiddenAt && !row.deletedAt)
            .map((row) => [row.id, { authorId: row.authorId, post: toPost(row, true) }]),
        ),
      };
    },

    /**
     * `forReader` of a cached page, as the JSON text of the answer, with nothing read from the
     * database while the reader's state is in memory: the page's posts are serialised once
     * (`serializePost`, the route's serializer for a post) and each reader's fields appended.
     */
    async readerBody(page: ThreadPage, slug: string, viewer: PostActor, serializePost: (post: Post) => string) {
      const state = await readers.get(viewer.id, slug);
      return readerBody(page, state, (authorId) => reveals(viewer, { authorId }), serializePost);
    },

    /** `readerBody` in pieces while the reader's state is in memory; undefined when it would take a read. */
    readerChunksNow(page: ThreadPage, slug: string, viewer: PostActor, serializePost: (post: Post) => string) {
      const state = readers.peek(viewer.id, slug);
      return state && readerChunks(page, state, (authorId) => reveals(viewer, { authorId }), serializePost);
    },
  };
}
