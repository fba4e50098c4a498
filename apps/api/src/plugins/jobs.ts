/**
 * The job runner: modules register handlers per kind; every node with JOBS on polls for due jobs
 * (and right after a local enqueue), claims one at a time with a lease, and runs it. Handlers must
 * be safe to run again after a crash (at-least-once), and never run twice at once. A handler gets
 * a job of its own kind whose payload the catalogue (platform/jobs/catalogue.ts) accepts; a job
 * whose stored payload it refuses is logged and set aside, not run.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isJob, isJobKind, jobProblem, type Job, type JobKind, type JobRow } from '../platform/jobs/catalogue.ts';
import { claimJob, completeJob, failJob, setJobAside } from '../platform/jobs/repository.ts';
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

  async function drain() {
    const kinds = [...handlers.keys()].filter((k) => !config.jobKinds.length || config.jobKinds.includes(k));
    if (!kinds.length) return;
    while (!closing) {
      const job = await claimJob(fastify.database.kysely, kinds, LEASE_SECONDS);
      if (!job) return;
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
  fastify.addHook('preClose', async () => {
    closing = true;
    clearInterval(timer);
    await runner.close();
  });

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

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['database'] });
