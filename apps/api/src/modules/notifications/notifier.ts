/**
 * Turns committed activities into notifications exactly once across the cluster: whichever node
 * holds the notifications cursor writes them and moves the cursor in one transaction; the others
 * skip and retry shortly (platform/outbox/consumer.ts). Each new or grown notification then goes
 * live, with the new unread count, to that member's sockets on every node: the writing node tells
 * the others in one adapter message (the ids written and their members), and each node reads and
 * sends only those of members connected to it, in order. A post that reaches 20,000 followers is
 * one message between nodes, not 40,000 room broadcasts through PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createActivityConsumer } from '../../platform/outbox/consumer.ts';
import { findNotifications, unreadCounts, writeNotifications, type Written } from './repository.ts';
import { notificationsFor, toNotification } from './service.ts';

const BATCH = 200;
const RETRY_MS = 300;
const SAFETY_POLL_MS = 5000;
/**
 * How long the notifier lets new activities gather before writing their notifications: a burst
 * (a busy thread, an RSVP rush) is written in one transaction, and the live thread's fan-out of
 * the same activity goes first instead of competing with it for the database and the CPU. A post
 * to 1,000 watching sockets takes ~16 ms to write out and reaches the last of them ~6 ms later
 * (BENCH_ONLY=fanout). After 25 ms the notifier's transaction (about ten statements) ran while the
 * slowest deliveries were still on their way: the post's p99 was 1.06–1.59× a bare broadcast's in
 * five runs. After 100 ms, 0.93–1.14× (same code, same machine); a notification 75 ms later goes
 * unnoticed.
 */
const GATHER_MS = 100;

async function notifierPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;

  type Notice = { ids: string[]; users: string[] };

  /** Sends this node's members their notifications of `notice`, and their new unread counts. */
  async function deliverHere(notice: Notice) {
    const rooms = fastify.io.of('/').adapter.rooms;
    const ids: string[] = [];
    const members = new Set<string>();
    notice.users.forEach((user, i) => {
      if (!rooms.has(`user:${user}`)) return;
      ids.push(notice.ids[i]!);
      members.add(user);
    });
    if (!ids.length) return;
    const rows = await findNotifications(db, [...new Set(ids)]);
    for (const row of rows) fastify.io.local.to(`user:${row.userId}`).emit('notification:created', toNotification(row));
    for (const [userId, count] of await unreadCounts(db, [...members])) {
      fastify.io.local.to(`user:${userId}`).emit('notifications:unread', { count });
    }
  }

  // One notice at a time on each node, so members get notifications in the order they were written.
  let delivering = Promise.resolve();
  function deliverInOrder(notice: Notice) {
    delivering = delivering
      .then(() => deliverHere(notice))
      .catch((error: unknown) => fastify.log.error({ err: error }, 'sending notifications live failed'));
    return delivering;
  }
  fastify.io.on('notifications:written', (notice: Notice) => void deliverInOrder(notice));

  async function deliver(written: Written[]) {
    if (written.some((w) => w.channel === 'email')) void fastify.jobs.poke();
    const live = written.filter((w) => w.channel !== 'digest');
    if (!live.length) return;
    const notice = { ids: live.map((w) => w.id), users: live.map((w) => w.userId) };
    // Several nodes share the Postgres adapter; alone, there is no one else to tell.
    if (fastify.database.pool) fastify.io.serverSideEmit('notifications:written', notice);
    await deliverInOrder(notice);
  }

  const consumer = createActivityConsumer({
    database: fastify.database,
    cursor: 'notifications',
    batch: BATCH,
    handle: (trx, activities) => writeNotifications(trx, activities, notificationsFor),
    handled: deliver,
    onError: (error) =>
      fastify.log.error({ err: error }, 'writing notifications failed; retrying on the next activity'),
    onInvalid: fastify.activities.onInvalid,
    gatherMs: GATHER_MS,
    retryMs: RETRY_MS,
    safetyPollMs: SAFETY_POLL_MS,
  });

  const unsubscribe = fastify.activities.subscribe(() => consumer.notice());
  fastify.decorate('notifier', { poke: () => consumer.poke() });
  fastify.addHook('onReady', async () => {
    void consumer.poke();
  });
  fastify.addHook('preClose', async () => {
    unsubscribe();
    await consumer.close();
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    notifier: { poke(): Promise<void> };
  }
}

export default fp(notifierPlugin, { name: 'notifier', dependencies: ['realtime', 'outbox', 'jobs'] });
