/**
 * Posts this node has just written, as any reader of the thread sees them, offered at the write's
 * commit to the live thread, which may send their `post:created` at once (live.ts: when that keeps
 * the thread's order); otherwise kept until the outbox hands out the post's activity, so the
 * writer's node emits without reading back what it just wrote. Other nodes, and anything not kept
 * (evicted, another verb), read the post as before. Bounded: the oldest go first.
 */
import type { Post, PostCreated } from '@opsi/contracts/discussions';

export interface FreshPosts {
  /**
   * Keeps a post just committed (the author's view: what only they see is left out), with the id of
   * the thread's post before it.
   */
  put(post: Post, previousId: string | null): void;
  /** The post kept under this id as its post:created says it, once (forgotten as it is taken), or undefined. */
  take(id: string): PostCreated | undefined;
  /** Offers each post put from now on to `send` (the live thread); a post it sent (true) is not kept. */
  offer(send: (post: PostCreated) => boolean): void;
}

/** A post as every reader sees it: without what belongs to one viewer. */
export function everyonesView(post: Post): Post {
  const { myReactions: _mine, authorBlocked: _blocked, hiddenReason: _reason, ...shared } = post;
  return shared;
}

export function createFreshPosts(max = 1000): FreshPosts {
  const kept = new Map<string, PostCreated>();
  let send: (post: PostCreated) => boolean = () => false;
  return {
    put(post, previousId) {
      // Only a post every reader may read as it is: a hidden one is a tombstone for most.
      if (post.hidden || post.deleted) return;
      const created = { ...everyonesView(post), previousId };
      if (send(created)) return;
      kept.set(post.id, created);
      if (kept.size > max) kept.delete(kept.keys().next().value!);
    },
    take(id) {
      const post = kept.get(id);
      kept.delete(id);
      return post;
    },
    offer(sender) {
      send = sender;
    },
  };
}
