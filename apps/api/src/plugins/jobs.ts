/**
 * The job runner: modules register handlers per kind; every node with JOBS on polls for due jobs
 * (and right after a local enqueue), claims one at a time with a lease, and runs it. Handlers must
 * be safe to run again after a crash (at-least-once), and never run twice at once. A handler gets
 * a job of its own kind whose payload the catalogue (platform/jobs/catalogue.ts) accepts; a job
 * whose stored payload it refuses is logged and set aside, not run.
 *
 * Draining (plugins/drain.ts), a node claims nothing more and waits for the job it is running
 * until the drain steps' deadline; a job still running then is handed back (its lease released),
 * so another node takes it at its next poll instead of after the lease expires. The handler goes
 * on until the process exits: a job handed back may run again elsewhere (at-least-once).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isJob, isJobKind, jobProblem, type Job, type JobKind, type JobRow } from '../platform/jobs/catalogue.ts';
import { claimJob, completeJob, failJob, releaseJob, setJobAside } from '../platform/jobs/repository.ts';
import { singleFlight } from '../platform/single-flight.ts';
import type { Config } from '../config.ts';

/** Does the work of one job of kind K. */
export type JobHandler<K extends JobKind = JobKind> = (job: Job<K>) => Promise<void>;

export interface Jobs {
  /** The handler of one kind of job (a declared kind: platform/jobs/catalogue.ts). */
  register<K extends JobKind>(kind: K, handler: JobHandler<K>): void;
  /** Looks for due jobs now (after enqueueing from this node); resolves when none is left. */
  poke(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

const POLL_MS = 2000;
const LEASE_SECONDS = 300;

async function jobsPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  /** Runs a claimed job of the handler's kind; false when its payload is refused (nothing ran). */
  const handlers = new Map<JobKind, (row: JobRow) => Promise<boolean>>();
  let closing = false;
  /** The job this node is running, if any. */
  let running: JobRow | undefined;

  async function drain() {
    const kinds = [...handlers.keys()].filter((k) => !config.jobKinds.length || config.jobKinds.includes(k));
    if (!kinds.length) return;
    while (!closing) {
      const job = await claimJob(fastify.database.kysely, kinds, LEASE_SECONDS);
      if (!job) return;
      running = job;
      try {
        const run = isJobKind(job.kind) ? handlers.get(job.kind) : undefined;
        if (!run || !(await run(job))) {
          const problem = jobProblem(job) ?? `no handler for ${job.kind}`;
          fastify.log.warn({ job: job.id, kind: job.kind, problem }, 'a job the catalogue refuses was set aside');
          await setJobAside(fastify.database.kysely, job, problem);
          continue;
        }
        await completeJob(fastify.database.kysely, job);
      } catch (error) {
        fastify.log.warn({ err: error, job: job.id, kind: job.kind, attempts: job.attempts }, 'job failed; will retry');
        await failJob(fastify.database.kysely, job, error instanceof Error ? error.message : String(error));
      } finally {
        running = undefined;
      }
    }
  }

  const runner = singleFlight(drain, (error) =>
    fastify.log.error({ err: error }, 'the job runner failed; retrying at the next poll'),
  );
  function poke(): Promise<void> {
    return config.jobs ? runner.poke() : Promise.resolve();
  }

  let timer: NodeJS.Timeout | undefined;
  fastify.addHook('onReady', async () => {
    if (!config.jobs) return;
    const undeclared = config.jobKinds.filter((kind) => !isJobKind(kind));
    if (undeclared.length) fastify.log.warn({ kinds: undeclared }, 'JOBS_KINDS names kinds of job no module declares');
    timer = setInterval(() => void poke(), POLL_MS);
    timer.unref();
    void poke();
  });
  /** Claims nothing more; waits for the job under way until `deadline`, then hands it back. */
  let stopping: Promise<void> | undefined;
  function stop(deadline: number): Promise<void> {
    stopping ??= (async () => {
      closing = true;
      clearInterval(timer);
      let wait: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        wait = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()));
      });
      const outcome = await Promise.race([runner.close(), late]);
      clearTimeout(wait);
      const job = running;
      if (outcome !== 'late' || !job) return;
      try {
        await releaseJob(fastify.database.kysely, job);
        fastify.log.warn({ job: job.id, kind: job.kind }, 'a job still running was handed back to the queue');
      } catch (error) {
        // The database is away: the lease runs out by itself.
        fastify.log.warn({ err: error, job: job.id, kind: job.kind }, 'a job still running could not be handed back');
      }
    })();
    return stopping;
  }
  fastify.drain.onDrain(stop);
  fastify.addHook('preClose', async () => stop(Date.now() + config.shutdownGraceMs / 2));

  fastify.decorate('jobs', {
    register(kind, handler) {
      handlers.set(kind, async (row) => {
        if (!isJob(kind, row)) return false;
        await handler(row);
        return true;
      });
    },
    poke,
  } satisfies Jobs);
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['database', 'drain'] });
