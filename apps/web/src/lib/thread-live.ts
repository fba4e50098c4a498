/**
 * The live side of a case thread: new, edited and deleted posts, reaction counts and "… is
 * typing" from the case's room, and a catch-up after every reconnection (GET posts?after=<last id
 * seen>), so nothing is lost while the connection was down, and after a live post whose thread's
 * previous post the page does not have (one live event lost on the way). Optional: without it the
 * page is whole.
 */
import type { Post, PostCreated, ReactionChanged, TypingPayload } from '@opsi/contracts/discussions';
import { apiFor } from '#lib/api/client.ts';
import { shareSocket } from '#lib/realtime.ts';

export interface ThreadListener {
  posts: (posts: Post[], live: boolean) => void;
  reactions: (payload: ReactionChanged) => void;
  typing: (payload: TypingPayload) => void;
  /** The id of the newest post the page has, or null when its posts do not reach the end of the thread (no catch-up). */
  lastId: () => string | null;
}

const TYPING_EVERY_MS = 2_000;

/**
 * Whether a live post whose thread's previous post is `previousId` shows that one was missed by a
 * page whose newest post is `newest` (null: the page does not reach the end of the thread).
 * Without `previousId` (a node from before it was sent, during an upgrade) nothing can be told.
 */
export function missedOne(previousId: string | null | undefined, newest: string | null): boolean {
  return typeof previousId === 'string' && newest !== null && BigInt(previousId) > BigInt(newest);
}

export function followThread(slug: string, listener: ThreadListener): { stop: () => void; typing: () => void } {
  const { socket, release } = shareSocket();
  let stopped = false;
  let lastTyping = 0;
  let connection: Awaited<typeof socket> | null = null;
  const api = apiFor({ fetch });

  async function catchUp(from: string) {
    let after = from;
    for (let pages = 0; pages < 20 && !stopped; pages += 1) {
      const query = { after, limit: 100 };
      const { data: page } = await api.GET('/api/v1/cases/{slug}/posts', { params: { path: { slug }, query } });
      if (!page) return;
      if (page.items.length) listener.posts(page.items, false);
      if (!page.nextCursor) return;
      after = page.nextCursor;
    }
  }

  const onPost = ({ previousId, ...post }: PostCreated) => {
    if (post.caseSlug !== slug) return;
    const newest = listener.lastId();
    listener.posts([post], true);
    // Its predecessor is newer than anything held: a post was missed (a live event lost on the way).
    if (missedOne(previousId, newest)) void catchUp(newest!).catch(() => undefined);
  };
  const onChanged = (post: Post) => {
    if (post.caseSlug === slug) listener.posts([post], false);
  };
  const onReaction = (payload: ReactionChanged) => {
    if (payload.caseSlug === slug) listener.reactions(payload);
  };
  const onTyping = (payload: TypingPayload) => {
    if (payload.slug === slug) listener.typing(payload);
  };
  // On every connection: join the room, then fetch what was posted since the page was made (or
  // while the connection was down). Joining twice (the presence line joins too) is harmless.
  // The catch-up starts from the newest post seen BEFORE joining: live posts can arrive on the
  // new connection before the join is acknowledged, and starting after those would skip the ones
  // made while the connection was down.
  const onConnect = () => {
    const from = listener.lastId();
    connection?.timeout(5_000).emit('case:watch', { slug }, () => {
      if (!stopped && from !== null) void catchUp(from).catch(() => undefined);
    });
  };

  socket
    .then((s) => {
      if (stopped) return;
      connection = s;
      s.on('post:created', onPost);
      s.on('post:updated', onChanged);
      s.on('post:deleted', onChanged);
      s.on('reaction:changed', onReaction);
      s.on('case:typing', onTyping);
      s.on('connect', onConnect);
      if (s.connected) onConnect();
    })
    .catch(() => undefined);

  return {
    stop() {
      stopped = true;
      if (connection) {
        connection.off('post:created', onPost);
        connection.off('post:updated', onChanged);
        connection.off('post:deleted', onChanged);
        connection.off('reaction:changed', onReaction);
        connection.off('case:typing', onTyping);
        connection.off('connect', onConnect);
      }
      release();
    },
    typing() {
      const now = Date.now();
      if (!connection?.connected || now - lastTyping < TYPING_EVERY_MS) return;
      lastTyping = now;
      connection.emit('case:typing', { slug }, () => undefined);
    },
  };
}
