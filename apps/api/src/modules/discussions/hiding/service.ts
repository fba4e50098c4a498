/**
 * What moderators do to posts (the moderation module calls these inside its own transaction, so a
 * decision, its log entry and the reports it resolves commit together): hide a post (others then
 * see a tombstone; its author and moderators still read it, with the reason), show it again, or
 * delete it as a moderator's delete does.
 */
import type { Database } from '@opsi/db/database';
import type { Executor, TransactionExecutor } from '@opsi/db/executor';
import { AppError } from '../../../platform/errors.ts';
import * as deleting from '../deleting/repository.ts';
import * as repo from '../repository.ts';
import { setPostHidden } from './repository.ts';
import { forgetHiddenPost, rememberUnhiddenPost } from '../visibility/service.ts';

/** What the moderation module needs to know of a post: its author, case and state. */
export interface PostFacts {
  id: string;
  authorId: string;
  caseSlug: string;
  caseTitle: string;
  parentId: string | null;
  deleted: boolean;
  hidden: boolean;
}

export function createPostModeration(database: Database) {
  const db = database.kysely;

  async function facts(executor: Executor, id: string): Promise<PostFacts | undefined> {
    const owner = await repo.findPostOwner(executor, id);
    if (!owner) return undefined;
    const thread = await repo.findThreadCaseById(executor, owner.caseId);
    const [row] = await repo.findPosts(executor, [id]);
    return {
      id,
      authorId: owner.authorId,
      caseSlug: thread.slug,
      caseTitle: thread.title,
      parentId: owner.parentId,
      deleted: owner.deleted,
      hidden: row?.hiddenAt != null,
    };
  }

  async function activityFields(trx: TransactionExecutor, id: string, actorId: string | null) {
    const owner = await repo.findPostOwner(trx, id);
    if (!owner || owner.deleted) throw new AppError('not_found', `No post with id "${id}"`);
    const thread = await repo.findThreadCaseById(trx, owner.caseId);
    return {
      owner,
      thread,
      about: {
        objectType: 'post' as const,
        objectId: id,
        actorId,
        countries: thread.countries,
        themes: thread.themes,
        isPublic: false,
      },
    };
  }

  return {
    /** The post's author, case and state (undefined when there is no such post). */
    facts: (id: string) => facts(db, id),

    /**
     * Hides a live post (`by` null: hidden automatically after reports); false when it already was.
     * Throws not_found for no live post.
     */
    async hide(trx: TransactionExecutor, by: string | null, id: string, reason: string, at: Date): Promise<boolean> {
      const { owner, thread, about } = await activityFields(trx, id, by);
      const result = await setPostHidden(
        trx,
        id,
        { by, reason, at },
        {
          ...about,
          verb: 'hidden',
          payload: { caseSlug: thread.slug, postId: id, parentId: owner.parentId },
        },
      );
      if (result === 'missing') throw new AppError('not_found', `No post with id "${id}"`);
      // Out of the case's count, the public activity and every notification that quoted it.
      if (result === 'changed') await forgetHiddenPost(trx, id);
      return result === 'changed';
    },

    /** Shows a hidden post again; false when it was not hidden. */
    async unhide(trx: TransactionExecutor, by: string, id: string): Promise<boolean> {
      const { owner, thread, about } = await activityFields(trx, id, by);
      const result = await setPostHidden(trx, id, null, {
        ...about,
        verb: 'unhidden',
        payload: { caseSlug: thread.slug, postId: id, parentId: owner.parentId },
      });
      if (result === 'missing') throw new AppError('not_found', `No post with id "${id}"`);
      if (result === 'changed') await rememberUnhiddenPost(trx, id);
      return result === 'changed';
    },

    /** Deletes the post as a moderator's DELETE /api/v1/posts/:id does; false when already gone. */
    async remove(trx: TransactionExecutor, by: string, id: string): Promise<boolean> {
      const { owner, thread, about } = await activityFields(trx, id, by);
      return deleting.deletePostIn(
        trx,
        { id, deletedBy: by },
        {
          ...about,
          isPublic: true,
          verb: 'deleted',
          payload: { caseSlug: thread.slug, postId: id, parentId: owner.parentId, byModerator: true },
        },
      );
    },
  };
}

export type PostModeration = ReturnType<typeof createPostModeration>;
