/**
 * The API test kit, waiting: for a condition or a value, polled until it holds or a deadline
 * passes (then it fails, naming what it waited for). This is the one place tests pause between
 * looks; a test never sleeps a fixed time to let something happen, it waits for the thing itself.
 */
import type { FastifyInstance } from 'fastify';

/** What was awaited, for the timeout's message (a function when it should tell the state at that moment). */
export type What = string | (() => string);

export interface Patience {
  /** How long to wait before failing, in milliseconds (20 s by default). */
  within?: number;
  /** How long to pause between looks, in milliseconds (20 ms by default). */
  every?: number;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function timedOut(what: What): Error {
  return new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
}

/** Until `check()` holds. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: What,
  { within = 20_000, every = 20 }: Patience = {},
): Promise<void> {
  const deadline = Date.now() + within;
  while (!(await check())) {
    if (Date.now() > deadline) throw timedOut(what);
    await pause(every);
  }
}

/** Reads until `ok(value)` holds; returns that value. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  what: What,
  { within = 20_000, every = 20 }: Patience = {},
): Promise<T> {
  const deadline = Date.now() + within;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw timedOut(what);
    await pause(every);
  }
}

/**
 * Until the notifications of every activity committed so far are written, by whichever node holds
 * the notifications cursor: a positive barrier before counting what members were told.
 */
export async function notificationsWritten(app: FastifyInstance, patience: Patience = { every: 50 }): Promise<void> {
  const db = app.database.kysely;
  await until(
    async () => {
      await app.notifier.poke();
      const [cursor, last] = await Promise.all([
        db.selectFrom('outbox_cursors').select('last_id').where('name', '=', 'notifications').executeTakeFirstOrThrow(),
        db
          .selectFrom('activities')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow(),
      ]);
      return BigInt(cursor.last_id) >= BigInt(last.id ?? 0);
    },
    'the notifications of every activity to be written',
    patience,
  );
}

/**
 * Until no job of `kinds` is due, every app reading the outbox, writing notifications and running
 * its jobs round after round (a job may queue another); then the notifications of what the jobs
 * did are written too.
 */
export async function jobsDone(
  apps: FastifyInstance[],
  kinds: readonly string[],
  patience: Patience = { every: 50 },
): Promise<void> {
  const db = apps[0]!.database.kysely;
  await until(
    async () => {
      await Promise.all(apps.map((a) => a.activities.poke()));
      await Promise.all(apps.map((a) => a.notifier.poke()));
      await Promise.all(apps.map((a) => a.jobs.poke()));
      const due = await db
        .selectFrom('jobs')
        .select('id')
        .where('kind', 'in', [...kinds])
        .where('done_at', 'is', null)
        .where('run_at', '<=', new Date())
        .execute();
      return due.length === 0;
    },
    `the ${kinds.join(', ')} jobs to be done`,
    patience,
  );
  await Promise.all(apps.map((a) => a.notifier.poke()));
}
