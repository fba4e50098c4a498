/**
 * Live threads: every node turns committed post activities (the outbox) into Socket.IO events for
 * its own sockets in the case room (`io.local`), so a cluster delivers each event once per socket
 * wherever the post was made. Activities are handled in id order, one batch at a time. Sockets
 * watch a case's room (`case:watch`, for cases that exist) and say they are typing in it.
 *
 * A post written on this node goes out at its commit, before the outbox hands out its activity,
 * when that keeps its thread's order: the thread's post before it (`previousId`, read under the
 * thread's lock) is the newest this node has sent (or had no one to send to) and nothing of that
 * thread waits in the queue. This node's cached pages of the thread are dropped first, so a socket
 * joining just after catches up with it. Its activity, when it comes, is then passed over.
 * Otherwise it waits for its activity like any other.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Post, PostCreated } from '@opsi/contracts/discussions';
import { CacheTags } from '../../platform/cache-tags.ts';
import type { Activity } from '../../platform/outbox/catalogue.ts';
import { fail, slugOf } from '../../plugins/realtime.ts';
import { findPosts, previousPostIds } from './repository.ts';
import { toPost } from './service.ts';

/** The activities about a post that change what a thread shows. */
type LiveActivity = Extract<
  Activity,
  { objectType: 'post'; verb: 'created' | 'updated' | 'deleted' | 'reacted' | 'hidden' | 'unhidden' }
>;
/** A "… is typing" hint is relayed at most this often per socket. */
const TYPING_EVERY_MS = 2000;

async function liveThreadsPlugin(fastify: FastifyInstance) {
  const io = fastify.io;
  fastify.realtime.rooms.register('case', (slug) => fastify.cases.exists(slug));

  const lastTyping = new WeakMap<object, number>();
  fastify.realtime.handle('case:typing', (socket, payload, reply) => {
    const slug = slugOf(payload);
    if (!slug) return reply(fail('validation_failed', 'slug must be a case slug'));
    const user = socket.data.user;
    if (!user) return reply(fail('unauthorized', 'Sign in to post'));
    const room = `case:${slug}`;
    if (!socket.rooms.has(room)) return reply(fail('validation_failed', 'Watch the case before typing in it'));
    const now = Date.now();
    if (now - (lastTyping.get(socket) ?? 0) >= TYPING_EVERY_MS) {
      lastTyping.set(socket, now);
      socket.to(room).emit('case:typing', { slug, user: { handle: user.handle, displayName: user.displayName } });
    }
    reply({ ok: true, data: null });
  });

  const rooms = io.of('/').adapter.rooms;
  let queue: LiveActivity[] = [];
  let chain: Promise<void> = Promise.resolve();

  /** The posts this node just wrote, by the id of their `created` activity (no read-back). */
  const freshByActivity = new Map<string, PostCreated>();
  /** Per case: the newest post whose `created` this node has handled (sent, or no one watched). */
  const newestCreated = new Map<string, bigint>();
  /** Posts whose `created` activity waits in the queue, and posts sent at their commit. */
  const queued = new Set<string>();
  const sentAtCommit = new Set<string>();

  function handledCreated(caseSlug: string, id: string) {
    const before = newestCreated.get(caseSlug);
    if (before === undefined || BigInt(id) > before) newestCreated.set(caseSlug, BigInt(id));
  }

  fastify.discussions.fresh.offer((post) => {
    const room = `case:${post.caseSlug}`;
    if (!rooms.get(room)?.size || queued.has(post.id)) return false;
    const newest = newestCreated.get(post.caseSlug);
    // The thread's first post, or the one after the newest handled here: nothing can come between.
    // Handled here already (its activity read and sent before its writer got here, on a loaded
    // machine), it must not go out twice: a first post too, whose previousId tells nothing.
    if (newest !== undefined && BigInt(post.id) <= newest) return false;
    if (post.previousId !== null && (newest === undefined || BigInt(post.previousId) !== newest)) return false;
    // This node's cached pages of the thread go first (the rest when the activity comes): a socket
    // that joins after this emit catches up here, and must find the post.
    try {
      fastify.publicCache.invalidate([CacheTags.thread(post.caseSlug)]);
      io.local.to(room).emit('post:created', post);
    } catch (error) {
      // The post is committed whatever happens here: its activity will carry it, as for any other.
      fastify.log.error({ err: error, post: post.id }, 'sending a post at its commit failed');
      return false;
    }
    sentAtCommit.add(post.id);
    handledCreated(post.caseSlug, post.id);
    return true;
  });

  async function flush() {
    const batch = queue;
    queue = [];
    try {
      await deliver(batch);
    } finally {
      // Sent or not (no one watched, or the read failed): the thread's later posts may go at commit.
      for (const activity of batch) {
        if (activity.verb !== 'created') continue;
        queued.delete(activity.objectId);
        handledCreated(activity.payload.caseSlug, activity.objectId);
      }
    }
  }

  async function deliver(batch: LiveActivity[]) {
    const wanted = batch.filter((a) => rooms.get(`case:${a.payload.caseSlug}`)?.size);
    const fresh = new Map<string, PostCreated>();
    for (const activity of batch) {
      const post = freshByActivity.get(activity.id);
      freshByActivity.delete(activity.id);
      if (post) fresh.set(activity.id, post);
    }
    if (!wanted.length) return;
    // Read back only what this node did not just write (an emit waits for no statement otherwise).
    const unread = wanted.filter((a) => !fresh.has(a.id));
    const db = fastify.database.kysely;
    const [rows, previous] = unread.length
      ? await Promise.all([
          findPosts(db, [...new Set(unread.map((a) => a.objectId))]),
          previousPostIds(db, [...new Set(unread.filter((a) => a.verb === 'created').map((a) => a.objectId))]),
        ])
      : [[], new Map<string, string | null>()];
    const posts = new Map<string, Post>(rows.map((p) => [p.id, toPost(p)]));
    for (const activity of wanted) {
      const post = fresh.get(activity.id) ?? posts.get(activity.objectId);
      if (!post) continue;
      const room = `case:${post.caseSlug}`;
      if (activity.verb === 'reacted') {
        io.local
          .to(room)
          .emit('reaction:changed', { postId: post.id, caseSlug: post.caseSlug, reactions: post.reactions });
      } else {
        // A created event always carries the post as first written to the thread. A hidden post
        // goes out as its tombstone (the author reloads to read it), shown again with its text.
        if (activity.verb === 'created') {
          const created = fresh.get(activity.id) ?? { ...post, previousId: previous.get(post.id) ?? null };
          io.local.to(room).emit('post:created', created);
        } else if (activity.verb !== 'deleted') io.local.to(room).emit('post:updated', post);
        else io.local.to(room).emit('post:deleted', post);
      }
    }
  }

  const unsubscribe = fastify.activities.subscribe((activity) => {
    if (activity.objectType !== 'post') return;
    switch (activity.verb) {
      case 'created': {
        if (sentAtCommit.delete(activity.objectId)) return;
        queued.add(activity.objectId);
        const post = fastify.discussions.fresh.take(activity.objectId);
        if (post) freshByActivity.set(activity.id, post);
        queue.push(activity);
        break;
      }
      case 'updated':
      case 'deleted':
      case 'reacted':
      case 'hidden':
      case 'unhidden':
        queue.push(activity);
        break;
      default:
        return;
    }
    if (queue.length === 1) {
      chain = chain
        .then(flush)
        .catch((error: unknown) => fastify.log.error({ err: error }, 'live thread delivery failed'));
    }
  });

  fastify.addHook('preClose', async () => {
    unsubscribe();
    await chain;
  });
}

export default fp(liveThreadsPlugin, {
  name: 'live-threads',
  dependencies: ['realtime', 'outbox', 'cache', 'cases-service', 'discussions-service'],
});
