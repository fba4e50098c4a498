/**
 * The API test kit, outbox: activities with names of their own, transactions held open, what the
 * bus hands out, and a cursor consumer read to the end (platform/outbox tests).
 */
import type { FastifyInstance } from 'fastify';
import { eventually } from './testing-until.ts';
import type { Activity, NewActivity } from './platform/outbox/catalogue.ts';
import {
  consumeActivities,
  type ActivityFilter,
  type ActivityPosition,
  type OutboxTransaction,
} from './platform/outbox/repository.ts';

/** Case activities whose objectIds are `<prefix>-<tag>-<n>`, to pick a test's out of all. */
export function caseActivities(prefix: string): (tag: string) => NewActivity {
  let serial = 0;
  return (tag) => {
    serial += 1;
    return {
      verb: 'created',
      objectType: 'case',
      objectId: `${prefix}-${tag}-${serial}`,
      actorId: null,
      countries: ['FR'],
      themes: [],
      isPublic: true,
      payload: { title: `Case ${serial}` },
    };
  };
}

/**
 * A transaction on a connection of its own, held open until `release` is called (it commits then;
 * `done` when it has). `start` runs first in it (what makes it a writer, or gives it an xid).
 */
export function heldTransaction(
  app: FastifyInstance,
  start: (trx: OutboxTransaction) => Promise<unknown> = async () => undefined,
) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let ready!: (trx: OutboxTransaction) => void;
  const opened = new Promise<OutboxTransaction>((resolve) => (ready = resolve));
  const done = app.database.kysely.transaction().execute(async (trx) => {
    await start(trx);
    ready(trx);
    await released;
  });
  return { opened, release, done };
}

/** What the bus hands out of a test's activities (their objectId starts with `prefix`). */
export function listen(app: FastifyInstance, prefix: string) {
  const heard: Activity[] = [];
  const unsubscribe = app.activities.subscribe((a) => {
    if (a.objectId.startsWith(prefix)) heard.push(a);
  });
  return { heard, unsubscribe };
}

/** A cursor of its own in outbox_cursors, starting at `at`. */
export async function newCursor(app: FastifyInstance, name: string, at: ActivityPosition): Promise<void> {
  await app.database.kysely.insertInto('outbox_cursors').values({ name, last_id: at.id, last_xid: at.xid }).execute();
}

/** Everything a cursor consumer handles of a test's, batch after batch (of 3), until none is waiting. */
export async function consumeAll(app: FastifyInstance, cursor: string, prefix: string, handled: string[]) {
  for (;;) {
    const done = await consumeActivities(
      app.database.kysely,
      cursor,
      3,
      async (_trx, activities) => {
        handled.push(...activities.filter((a) => a.objectId.startsWith(prefix)).map((a) => a.objectId));
        return null;
      },
      () => undefined,
    );
    if (!done?.more) return done;
  }
}

/**
 * `consumeAll`, read again while it stops at a transaction in flight, as the consumer's timer would:
 * for a test with no writer of its own in flight, that expects everything committed handed out.
 * Any read may stop once though nothing of the test's is in flight: a transaction of another test
 * file (the server is shared) that ends while the horizon is read counts as in flight
 * (repository.ts). Fails when a read still stops after 10 s.
 */
export function consumeSettled(app: FastifyInstance, cursor: string, prefix: string, handled: string[]) {
  return untilSettled(`cursor ${cursor}`, () => consumeAll(app, cursor, prefix, handled));
}

/** The bus's `listAfter`, read again while it stops at a transaction in flight (see consumeSettled). */
export function listSettled(app: FastifyInstance, filter: ActivityFilter) {
  return untilSettled('listAfter', () => app.activities.listAfter(filter));
}

function untilSettled<T extends { blocked: boolean } | null>(what: string, read: () => Promise<T>): Promise<T> {
  return eventually(read, (done) => !done?.blocked, `${what} past every transaction in flight`, {
    within: 10_000,
    every: 5,
  });
}
