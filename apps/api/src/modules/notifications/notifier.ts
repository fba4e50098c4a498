/**
 * Turns committed activities into notifications exactly once across the cluster: whichever node
 * holds the notifications cursor writes them and moves the cursor in one transaction; the others
 * skip and retry shortly (platform/outbox/consumer.ts). Each new or grown notification then goes
 * live to that member's sockets on every node (`user:<id>` room through the adapter), with the new
 * unread count.
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
 * the same activity goes first instead of competing with it for the database and the CPU.
 */
const GATHER_MS = 25;

async function notifierPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;

  async function deliver(written: Written[]) {
    const live = written.filter((w) => w.channel !== 'digest');
    if (!live.length) return;
    const rows = await findNotifications(db, [...new Set(live.map((w) => w.id))]);
    for (const row of rows) fastify.io.to(`user:${row.userId}`).emit('notification:created', toNotification(row));
    const counts = await unreadCounts(db, [...new Set(rows.map((r) => r.userId))]);
    for (const [userId, count] of counts) fastify.io.to(`user:${userId}`).emit('notifications:unread', { count });
    if (written.some((w) => w.channel === 'email')) void fastify.jobs.poke();
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
