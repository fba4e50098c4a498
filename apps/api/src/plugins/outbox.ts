/**
 * Reads committed activities in id order and hands them to in-process subscribers (realtime,
 * stream; later the feed and notifications). Every node does this on its own: PostgreSQL's
 * LISTEN/NOTIFY (or PGlite's) wakes it, and a slow poll covers a lost notification.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  listActivitiesAfter,
  latestActivityId,
  type ActivityFilter,
  type ActivityRow,
} from '../platform/outbox/repository.ts';
import { singleFlight } from '../platform/single-flight.ts';

export type ActivityListener = (activity: ActivityRow) => void;

export interface ActivityBus {
  subscribe(listener: ActivityListener): () => void;
  /** Committed activities after an id, oldest first (replay for late joiners). */
  listAfter(filter: ActivityFilter): Promise<ActivityRow[]>;
  /** The id of the newest activity this node has handed out. */
  lastId(): string;
  /** Reads now instead of waiting for the notification (tests, right after a local commit). */
  poke(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    activities: ActivityBus;
  }
}

const BATCH = 500;
const SAFETY_POLL_MS = 5000;

async function outboxPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;
  const listeners = new Set<ActivityListener>();
  let last = await latestActivityId(db);

  async function drain() {
    for (;;) {
      const rows = await listActivitiesAfter(db, { afterId: last, publicOnly: false, limit: BATCH });
      for (const row of rows) {
        last = row.id;
        for (const listener of listeners) {
          try {
            listener(row);
          } catch (error) {
            fastify.log.error({ err: error, activity: row.id }, 'activity listener failed');
          }
        }
      }
      if (rows.length < BATCH) return;
    }
  }

  /**
   * A writer that pokes after its commit knows its activity was handed out once the poke resolves.
   * At most one read runs: a rush of writers shares the next read instead of waiting for every
   * read the rush causes.
   */
  const reader = singleFlight(drain, (error) =>
    fastify.log.error({ err: error }, 'reading the outbox failed; retrying on the next notification'),
  );
  const poke = () => reader.poke();

  const unlisten = await fastify.database.listen('activities', () => void poke());
  const timer = setInterval(() => void poke(), SAFETY_POLL_MS);
  timer.unref();

  fastify.addHook('onClose', async () => {
    clearInterval(timer);
    await unlisten();
    await reader.close();
  });

  fastify.decorate('activities', {
    subscribe(listener: ActivityListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listAfter: (filter: ActivityFilter) => listActivitiesAfter(db, filter),
    lastId: () => last,
    poke,
  } satisfies ActivityBus);
}

export default fp(outboxPlugin, { name: 'outbox', dependencies: ['database'] });
