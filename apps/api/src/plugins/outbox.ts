/**
 * Reads committed activities in outbox order ((xid, id): see platform/outbox/repository.ts) and
 * hands them to in-process subscribers (realtime, stream, cache). Every node does this on its own:
 * PostgreSQL's LISTEN/NOTIFY (or PGlite's) wakes it, and a slow poll covers a lost notification.
 * An activity committed behind another writer of activities still in flight waits for it (a
 * transaction that writes none, however long, holds nothing back): the reader looks again shortly
 * (backing off) until that writer has ended.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import type { Activity, OnInvalidActivity } from '../platform/outbox/catalogue.ts';
import {
  activityPosition,
  latestActivityId,
  outboxHorizon,
  readActivitiesAfter,
  type ActivityFilter,
  type ActivityPage,
  type ActivityPosition,
} from '../platform/outbox/repository.ts';
import { afterCommit, readNotices } from '../platform/outbox/notices.ts';
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
  /** The id of the newest activity this node has handed out (the newest stored when it started). */
  lastId(): string;
  /** Where this node's reader stands: every activity before it has been handed out. */
  position(): ActivityPosition;
  /** The position of an activity by id (a client's `since`), or null if it is not stored. */
  positionOf(id: string): Promise<ActivityPosition | null>;
  /** Reads now instead of waiting for the notification (tests, right after a local commit). */
  poke(): Promise<void>;
  /**
   * After a local commit that wrote activity `id`, as poke: resolves at once when it was handed
   * out already, and waits for the reads under way when its notice came first (they hand it out
   * as another read would); otherwise pokes. No read starts after the commit's own for nothing.
   */
  pokeAfter(id: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    activities: ActivityBus;
  }
}

const BATCH = 500;
const SAFETY_POLL_MS = 5000;
/** Looking again for activities waiting behind a transaction in flight: first after, then at most. */
const BLOCKED_FIRST_MS = 1;
const BLOCKED_MAX_MS = 50;
/** How long one read waits in place for such a transaction before it hands over to a timer. */
const BLOCKED_WAIT_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outboxPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;
  const listeners = new Set<ActivityListener>();
  let last = await outboxHorizon(db);
  let lastId = await latestActivityId(db);
  let retry: NodeJS.Timeout | undefined;
  let closing = false;
  const onInvalid: OnInvalidActivity = (activity, problem) =>
    fastify.log.warn(
      { activity: activity.id, objectType: activity.objectType, verb: activity.verb, problem },
      'an activity the catalogue refuses was skipped',
    );

  let draining = false;
  /** Activities handed out since start, and since when the read under way has run (monitoring). */
  let handedOut = 0;
  let readingSince: number | null = null;
  async function drain() {
    draining = true;
    readingSince = performance.now();
    try {
      await drainNow();
    } finally {
      draining = false;
      readingSince = null;
    }
  }

  // Notices that come during a read are checked against it (platform/outbox/notices.ts). Asked
  // for during a read (a failed one), a read is the run after it.
  const notices = readNotices(() => void poke());

  async function drainNow() {
    let wait = BLOCKED_FIRST_MS;
    const started = Date.now();
    for (;;) {
      const { result: page, missed } = await notices.read(
        () => readActivitiesAfter(db, { after: last, publicOnly: false, limit: BATCH }, onInvalid),
        (read) => read.activities.map((activity) => activity.id),
      );
      for (const activity of page.activities) {
        last = { xid: activity.xid, id: activity.id };
        lastId = activity.id;
        handedOut += 1;
        for (const listener of listeners) {
          try {
            listener(activity);
          } catch (error) {
            fastify.log.error({ err: error, activity: activity.id }, 'activity listener failed');
          }
        }
      }
      if (page.last) last = page.last;
      if (page.more || (missed && !closing)) continue;
      if (!page.blocked || closing) return;
      // Committed activities wait behind a writer in flight: they come once it ends. A writer
      // that pokes after its commit is answered once its activity is handed out, unless the
      // transaction ahead of it takes long; then a timer takes over.
      if (Date.now() - started >= BLOCKED_WAIT_MS) {
        clearTimeout(retry);
        // Only when no read is under way (one under way looks again itself): a timer that asked a
        // running read for another would keep the pokes of writers waiting on it.
        retry = setTimeout(() => {
          if (!draining) void poke();
        }, BLOCKED_MAX_MS);
        retry.unref();
        return;
      }
      await sleep(wait);
      wait = Math.min(wait * 2, BLOCKED_MAX_MS);
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
  const pokeAfter = (id: string) => afterCommit(notices, reader, id);

  // Woken by every commit's notification (its payload is the activity's id; one that comes during
  // a read is left to that read), and at once after the listening connection came back (the
  // database restarted): what was committed meanwhile is read from where this node stopped.
  const unlisten = await fastify.database.listen(
    'activities',
    (id) => notices.told(id),
    () => void poke(),
  );
  const timer = setInterval(() => void poke(), SAFETY_POLL_MS);
  timer.unref();

  fastify.addHook('onClose', async () => {
    closing = true;
    clearInterval(timer);
    clearTimeout(retry);
    await unlisten();
    await reader.close();
  });

  // Read when /metrics is scraped: a node whose reader lags or hangs shows it beside the others.
  new Gauge({
    name: 'outbox_reader',
    help: 'This node’s outbox reader: activities handed out since start, the id of the newest, seconds the read under way has run (0: none)',
    labelNames: ['measure'] as const,
    registers: [fastify.metrics],
    collect() {
      this.set({ measure: 'handed_out' }, handedOut);
      this.set({ measure: 'last_id' }, Number(lastId));
      this.set(
        { measure: 'read_running_seconds' },
        readingSince === null ? 0 : (performance.now() - readingSince) / 1000,
      );
    },
  });

  fastify.decorate('activities', {
    subscribe(listener: ActivityListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listAfter: (filter: ActivityFilter) => readActivitiesAfter(db, filter, onInvalid),
    onInvalid,
    lastId: () => lastId,
    position: () => last,
    positionOf: (id: string) => activityPosition(db, id),
    poke,
    pokeAfter,
  } satisfies ActivityBus);
}

export default fp(outboxPlugin, { name: 'outbox', dependencies: ['database', 'metrics'] });
