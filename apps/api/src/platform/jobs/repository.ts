/**
 * Scheduled jobs in PostgreSQL: enqueued inside the transaction of the change that needs them;
 * a node claims a due job with FOR UPDATE SKIP LOCKED and takes a lease (locked_until), does the
 * work outside any transaction, then marks it done. Nodes never run one job at once; a (kind, key)
 * pair is scheduled once.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { checkJob, type JobKind, type JobRow, type NewJob } from './catalogue.ts';

/** The claimed job as stored, before its payload is checked (declared in catalogue.ts). */
export type { JobRow } from './catalogue.ts';

/**
 * Schedules jobs; returns the keys of those it added or rescheduled (not those already there).
 * Throws, writing nothing, when one is not as the catalogue declares it.
 */
export async function enqueueJobs(db: Executor, jobs: NewJob[]): Promise<string[]> {
  for (const job of jobs) checkJob(job);
  const keys: string[] = [];
  const row = (j: NewJob) => ({
    kind: j.kind,
    key: j.key,
    run_at: j.runAt ?? sql<Date>`now()`,
    payload: JSON.stringify(j.payload) as unknown as Record<string, unknown>,
  });
  const fresh = jobs.filter((j) => !j.reschedule);
  if (fresh.length) {
    const added = await db
      .insertInto('jobs')
      .values(fresh.map(row))
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .returning('key')
      .execute();
    keys.push(...added.map((r) => r.key));
  }
  const again = jobs.filter((j) => j.reschedule);
  if (again.length) {
    // attempts back to 0: a run in progress cannot then mark the rescheduled job done (completeJob).
    const moved = await db
      .insertInto('jobs')
      .values(again.map(row))
      .onConflict((oc) =>
        oc.columns(['kind', 'key']).doUpdateSet({
          run_at: sql<Date>`excluded.run_at`,
          payload: sql<Record<string, unknown>>`excluded.payload`,
          done_at: null,
          attempts: 0,
          last_error: null,
        }),
      )
      .returning('key')
      .execute();
    keys.push(...moved.map((r) => r.key));
  }
  return keys;
}

/** Claims one due job of these kinds for `leaseSeconds`; undefined when none is due. */
export async function claimJob(db: Executor, kinds: JobKind[], leaseSeconds: number): Promise<JobRow | undefined> {
  const { rows } = await sql<{
    id: string;
    kind: string;
    key: string;
    run_at: Date;
    payload: Record<string, unknown>;
    attempts: number;
  }>`
    update jobs set locked_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
    where id = (
      select id from jobs
      where done_at is null and run_at <= now() and (locked_until is null or locked_until < now())
        and kind in (${sql.join(kinds)})
      order by run_at, id
      limit 1
      for update skip locked
    )
    returning id, kind, key, run_at, payload, attempts
  `.execute(db);
  const row = rows[0];
  return (
    row && {
      id: row.id,
      kind: row.kind,
      key: row.key,
      runAt: row.run_at,
      payload: row.payload,
      attempts: row.attempts,
    }
  );
}

/** Marks a claimed job done, unless it was rescheduled while it ran (then it runs again). */
export async function completeJob(db: Executor, job: Pick<JobRow, 'id' | 'attempts'>): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ done_at: sql<Date>`now()`, locked_until: null })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .execute();
}

/** Schedules a retry with backoff (30 s, 2 min, 8 min, … at most a day); gives up after 10 attempts. */
export async function failJob(db: Executor, job: JobRow, error: string): Promise<void> {
  const delaySeconds = Math.min(30 * 4 ** (job.attempts - 1), 24 * 60 * 60);
  await db
    .updateTable('jobs')
    .set({
      locked_until: null,
      last_error: error.slice(0, 1000),
      run_at: sql<Date>`now() + make_interval(secs => ${delaySeconds})`,
      ...(job.attempts >= 10 ? { done_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .execute();
}

/**
 * Hands a claimed job back (a draining node's job still running): its lease is released, so any
 * node may claim it at once; the attempt it took still counts. Nothing when it was claimed again
 * or rescheduled since (its attempts moved on).
 */
export async function releaseJob(db: Executor, job: Pick<JobRow, 'id' | 'attempts'>): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_until: null })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .where('done_at', 'is', null)
    .execute();
}

/**
 * Sets a claimed job aside for good (done, with the reason as its last error): for a job whose
 * stored payload the catalogue refuses, which no retry would mend.
 */
export async function setJobAside(db: Executor, job: Pick<JobRow, 'id' | 'attempts'>, reason: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ done_at: sql<Date>`now()`, locked_until: null, last_error: reason.slice(0, 1000) })
    .where('id', '=', job.id)
    .where('attempts', '=', job.attempts)
    .execute();
}

export async function findJobs(db: Executor, kind: JobKind, keyPrefix: string) {
  return db
    .selectFrom('jobs')
    .select(['id', 'key', 'run_at', 'done_at', 'attempts', 'payload'])
    .where('kind', '=', kind)
    .where('key', 'like', `${keyPrefix.replace(/[%_\\]/g, '\\$&')}%`)
    .orderBy('id')
    .execute();
}
