/**
 * What a block changes in a thread besides the reading (posts by a blocked member come flagged
 * `authorBlocked` from the thread's own query): replies to the blocker are refused.
 */
import type { Executor } from '@opsi/db/executor';
import { AppError, problem } from '../../../platform/errors.ts';
import { postAuthorBlocked } from './repository.ts';

/** Refuses (422 `blocked` on parentId) a reply by a member the parent post's author blocked. */
export async function refuseReplyIfBlocked(db: Executor, parentId: string, userId: string): Promise<void> {
  if (!(await postAuthorBlocked(db, parentId, userId))) return;
  const message = 'The author of this post blocked you: you cannot reply to it.';
  throw new AppError('rule_violation', message, [problem('parentId', 'blocked', message)]);
}
