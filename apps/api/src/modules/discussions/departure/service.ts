/**
 * What a member's account deletion does to discussions (privacy/service.ts calls it in its
 * transaction): their posts anonymised or deleted, their reactions, read markers and mentions gone.
 * Each post changed is announced (post:updated, or post:deleted) so open threads show it live; the
 * activities name no one (no actor).
 */
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import * as repo from './repository.ts';

export type PostsChoice = 'anonymise' | 'delete';
export type { DepartureTransaction } from './repository.ts';

function about(p: repo.LivePost) {
  return {
    objectType: 'post',
    objectId: p.id,
    actorId: null,
    countries: p.countries,
    themes: p.themes,
    isPublic: true,
  } as const;
}

export async function takePostsOf(trx: repo.DepartureTransaction, userId: string, choice: PostsChoice): Promise<void> {
  await repo.deleteReactionsOf(trx, userId);
  await repo.forgetReaderOf(trx, userId);
  if (choice === 'delete') {
    await repo.deletePosts(trx, userId, (live) =>
      live.map((p): NewActivity => ({
        ...about(p),
        verb: 'deleted',
        payload: { caseSlug: p.caseSlug, postId: p.id, parentId: p.parentId, byModerator: false },
      })),
    );
  } else {
    const live = await repo.anonymisePosts(trx, userId);
    await repo.announce(
      trx,
      live.map((p): NewActivity => ({
        ...about(p),
        verb: 'updated',
        payload: { caseSlug: p.caseSlug, postId: p.id, parentId: p.parentId, mentionIds: [] },
      })),
    );
  }
}
