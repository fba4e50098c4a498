/**
 * Turns committed activities into notifications exactly once across the cluster: whichever node
 * holds the notifications cursor writes them and moves the cursor in one transaction; the others
 * skip and retry shortly. Each new or grown notification then goes live to that member's sockets
 * on every node (`user:<id>` room through the adapter), with the new unread count.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { drainNotifications, findNotifications, unreadCount, type Written } from './repository.ts';
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
  let running: Promise<void> | null = null;
  let again = false;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;

  async function deliver(written: Written[]) {
    const live = written.filter((w) => w.channel !== 'digest');
    if (!live.length) return;
    const rows = await findNotifications(db, [...new Set(live.map((w) => w.id))]);
    for (const row of rows) fastify.io.to(`user:${row.userId}`).emit('notification:created', toNotification(row));
    for (const userId of new Set(rows.map((r) => r.userId))) {
      fastify.io.to(`user:${userId}`).emit('notifications:unread', { count: await unreadCount(db, userId) });
    }
    if (written.some((w) => w.channel === 'email')) void fastify.jobs.poke();
  }

  async function drain() {
    for (;;) {
      const result = await drainNotifications(db, notificationsFor, BATCH);
      if (!result) {
        // Another node is writing; look again shortly in case it has already read past our news.
        clearTimeout(retry);
        retry = setTimeout(() => void poke(), RETRY_MS);
        retry.unref();
        return;
      }
      await deliver(result.written);
      if (!result.more) return;
    }
  }

  function poke(): Promise<void> {
    if (closing) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again && !closing);
      } catch (error) {
        fastify.log.error({ err: error }, 'writing notifications failed; retrying on the next activity');
      } finally {
        running = null;
      }
    })();
    return running;
  }

  let gathering: NodeJS.Timeout | undefined;
  const unsubscribe = fastify.activities.subscribe(() => {
    if (gathering || closing) return;
    gathering = setTimeout(() => {
      gathering = undefined;
      void poke();
    }, GATHER_MS);
  });
  const timer = setInterval(() => void poke(), SAFETY_POLL_MS);
  timer.unref();
  fastify.decorate('notifier', { poke });
  fastify.addHook('onReady', async () => {
    void poke();
  });
  fastify.addHook('preClose', async () => {
    closing = true;
    unsubscribe();
    clearInterval(timer);
    clearTimeout(retry);
    clearTimeout(gathering);
    await running;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    notifier: { poke(): Promise<void> };
  }
}

export default fp(notifierPlugin, { name: 'notifier', dependencies: ['realtime', 'outbox', 'jobs'] });
