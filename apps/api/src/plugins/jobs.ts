/**
 * The job runner: modules register handlers per kind; every node with JOBS on polls for due jobs
 * (and right after a local enqueue), claims one at a time with a lease, and runs it. Handlers must
 * be safe to run again after a crash (at-least-once), and never run twice at once.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { claimJob, completeJob, failJob, type JobRow } from '../platform/jobs/repository.ts';
import { singleFlight } from '../platform/single-flight.ts';
import type { Config } from '../config.ts';

export type JobHandler = (job: JobRow) => Promise<void>;

export interface Jobs {
  register(kind: string, handler: JobHandler): void;
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
  const handlers = new Map<string, JobHandler>();
  let closing = false;

  async function drain() {
    const kinds = [...handlers.keys()].filter((k) => !config.jobKinds.length || config.jobKinds.includes(k));
    if (!kinds.length) return;
    while (!closing) {
      const job = await claimJob(fastify.database.kysely, kinds, LEASE_SECONDS);
      if (!job) return;
      try {
        await handlers.get(job.kind)!(job);
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
      handlers.set(kind, handler);
    },
    poke,
  } satisfies Jobs);
}

export default fp(jobsPlugin, { name: 'jobs', dependencies: ['database'] });
