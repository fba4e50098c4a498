/**
 * RSVPs to one event are decided one transaction at a time anyway (the event's lock); while one
 * runs, the answers that arrive queue up on this node and are then decided together, in arrival
 * order, in one transaction (applyRsvps). A failed batch is retried one answer at a time, so one
 * bad answer never fails the others.
 */
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import { applyRsvps, type RsvpOutcome, type RsvpRequest } from './repository.ts';

/** RSVPs decided together at most (one transaction); the rest wait for the next round. */
const RSVP_BATCH = 250;

/** Each batch is decided at the time `clock` says when it starts. */
export function createRsvpQueue(db: Database['kysely'], clock: Clock) {
  interface Waiting {
    request: RsvpRequest;
    resolve: (outcome: RsvpOutcome) => void;
    reject: (error: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();

  async function drain(slug: string, queue: Waiting[]) {
    while (queue.length) {
      const batch = queue.splice(0, RSVP_BATCH);
      try {
        const outcomes = await applyRsvps(
          db,
          slug,
          batch.map((w) => w.request),
          clock(),
        );
        batch.forEach((w, i) => w.resolve(outcomes[i]!));
      } catch {
        for (const w of batch) {
          await applyRsvps(db, slug, [w.request], clock()).then(([outcome]) => w.resolve(outcome!), w.reject);
        }
      }
    }
    queues.delete(slug);
  }

  return {
    submit(slug: string, request: RsvpRequest): Promise<RsvpOutcome> {
      return new Promise((resolve, reject) => {
        const queue = queues.get(slug);
        if (queue) return void queue.push({ request, resolve, reject });
        const fresh = [{ request, resolve, reject }];
        queues.set(slug, fresh);
        void drain(slug, fresh);
      });
    },
  };
}
