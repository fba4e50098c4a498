/** What a block changes in a thread: posts shown collapsed to the blocker, replies to the blocker refused. */
import type { Post } from '@opsi/contracts/discussions';
import type { Executor } from '@opsi/db/executor';
import { AppError, problem } from '../../../platform/errors.ts';
import { blockedHandles, postAuthorBlocked } from './repository.ts';

/** Refuses (422 `blocked` on parentId) a reply by a member the parent post's author blocked. */
export async function refuseReplyIfBlocked(db: Executor, parentId: string, userId: string): Promise<void> {
  if (!(await postAuthorBlocked(db, parentId, userId))) return;
  const message = 'The author of this post blocked you: you cannot reply to it.';
  throw new AppError('rule_violation', message, [problem('parentId', 'blocked', message)]);
}

/** Posts as a reader sees them: those by a member the reader blocked are flagged to show collapsed. */
export async function withBlockedAuthors(db: Executor, posts: Post[], viewerId: string | null): Promise<Post[]> {
  if (!viewerId || !posts.length) return posts;
  const blocked = await blockedHandles(db, viewerId);
  if (!blocked.size) return posts;
  return posts.map((p) => (blocked.has(p.author.handle) ? { ...p, authorBlocked: true } : p));
}
