/**
 * Reads committed activities in id order and hands them to in-process subscribers (realtime,
 * stream; later the feed and notifications). Every node does this on its own: PostgreSQL's
 * LISTEN/NOTIFY (or PGlite's) wakes it, and a slow poll covers a lost notification.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Activity, OnInvalidActivity } from '../platform/outbox/catalogue.ts';
import {
  latestActivityId,
  readActivitiesAfter,
  type ActivityFilter,
  type ActivityPage,
} from '../platform/outbox/repository.ts';
import { singleFlight } from '../platform/single-flight.ts';

/** Hears each committed activity the catalogue accepts, typed (narrow on objectType and verb). */
export type ActivityListener = (activity: Activity) => void;

export interface ActivityBus {
  subscribe(listener: ActivityListener): () => void;
  /**
   * A page of committed activities after an id, oldest first (replay for late joiners); those the
   * catalogue refuses are logged and left out (the page's lastId goes past them).
   */
  listAfter(filter: ActivityFilter): Promise<ActivityPage>;
  /** Logs a stored activity the catalogue refuses (for readers of the outbox that skip it). */
  onInvalid: OnInvalidActivity;
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
  const onInvalid: OnInvalidActivity = (activity, problem) =>
    fastify.log.warn(
      { activity: activity.id, objectType: activity.objectType, verb: activity.verb, problem },
      'an activity the catalogue refuses was skipped',
    );

  async function drain() {
    for (;;) {
      const page = await readActivitiesAfter(db, { afterId: last, publicOnly: false, limit: BATCH }, onInvalid);
      for (const activity of page.activities) {
        last = activity.id;
        for (const listener of listeners) {
          try {
            listener(activity);
          } catch (error) {
            fastify.log.error({ err: error, activity: activity.id }, 'activity listener failed');
          }
        }
      }
      if (page.lastId) last = page.lastId;
      if (!page.more) return;
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
    listAfter: (filter: ActivityFilter) => readActivitiesAfter(db, filter, onInvalid),
    onInvalid,
    lastId: () => last,
    poke,
  } satisfies ActivityBus);
}

export default fp(outboxPlugin, { name: 'outbox', dependencies: ['database'] });
