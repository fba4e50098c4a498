/**
 * A consumer of committed activities that handles each activity exactly once across the cluster
 * (the notifier is one): whichever node holds its cursor (outbox_cursors) handles the next batch
 * and moves the cursor in the same transaction; the others skip and look again shortly. It runs
 * when told that activities were committed (after a short gathering, so a burst is one batch), on
 * a slow safety poll, and when poked; never twice at once on one node (single flight). It reads
 * only settled activities (below the oldest writer of activities in flight: see repository.ts), so
 * one committed late is handled in its place, never passed over. Its own transaction writes no
 * activity: however long a batch takes, it holds back no reader.
 */
import type { Database } from '@opsi/db/database';
import { singleFlight } from '../single-flight.ts';
import type { Activity, OnInvalidActivity } from './catalogue.ts';
import { consumeActivities, type OutboxTransaction } from './repository.ts';

export interface ActivityConsumerOptions<T> {
  database: Database;
  /** The name of its row in outbox_cursors (created by a migration). */
  cursor: string;
  /** The most activities handled in one transaction. */
  batch: number;
  /** Inside the cursor's transaction: handles activities in id order (writes what they cause). */
  handle(trx: OutboxTransaction, activities: Activity[]): Promise<T>;
  /** After each batch has committed, with what `handle` returned (live delivery, waking jobs). */
  handled(result: T): Promise<void>;
  onError(error: unknown): void;
  /** Told about a stored activity the catalogue refuses (it is passed over, not handled). */
  onInvalid: OnInvalidActivity;
  /** How long newly noticed activities gather before a batch is read. */
  gatherMs: number;
  /** How soon to look again when another node holds the cursor (it may have read past our news). */
  retryMs: number;
  /** How soon to look again when activities wait behind a transaction in flight (default retryMs). */
  blockedRetryMs?: number;
  /** The slow poll that covers a lost notice. */
  safetyPollMs: number;
}

export interface ActivityConsumer {
  /** Activities were committed (from the outbox reader): a batch after the gathering time. */
  notice(): void;
  /** Handles what is waiting now; resolves when done, or when another node holds the cursor. */
  poke(): Promise<void>;
  /** Stops the timers and waits for the batch under way. */
  close(): Promise<void>;
}

export function createActivityConsumer<T>(options: ActivityConsumerOptions<T>): ActivityConsumer {
  const db = options.database.kysely;
  let closing = false;
  let retry: NodeJS.Timeout | undefined;
  let gathering: NodeJS.Timeout | undefined;

  async function drain() {
    for (;;) {
      const done = await consumeActivities(db, options.cursor, options.batch, options.handle, options.onInvalid);
      if (!done) {
        clearTimeout(retry);
        retry = setTimeout(() => void flight.poke(), options.retryMs);
        retry.unref();
        return;
      }
      await options.handled(done.result);
      if (done.blocked) {
        // Committed activities wait behind a transaction still in flight: look again shortly.
        clearTimeout(retry);
        retry = setTimeout(() => void flight.poke(), options.blockedRetryMs ?? options.retryMs);
        retry.unref();
        return;
      }
      if (!done.more) return;
    }
  }

  const flight = singleFlight(drain, options.onError);
  const timer = setInterval(() => void flight.poke(), options.safetyPollMs);
  timer.unref();

  return {
    notice() {
      if (gathering || closing) return;
      gathering = setTimeout(() => {
        gathering = undefined;
        void flight.poke();
      }, options.gatherMs);
    },
    poke: () => flight.poke(),
    async close() {
      closing = true;
      clearInterval(timer);
      clearTimeout(retry);
      clearTimeout(gathering);
      await flight.close();
    },
  };
}
