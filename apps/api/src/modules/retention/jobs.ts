/**
 * The retention sweep, run once per interval across the cluster: the job is keyed by the time it
 * is due, so every node scheduling it at start schedules the same one, and whichever node claims
 * it runs it (plugins/jobs.ts) and schedules the next.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { enqueueJobs } from '../../platform/jobs/repository.ts';
import { createRetentionService, sweepJob } from './service.ts';

async function retentionJobsPlugin(fastify: FastifyInstance) {
  const { retention } = fastify.config;
  const service = createRetentionService(fastify.database, retention);

  fastify.jobs.register('retention.sweep', async (job) => {
    const pruned = await service.sweep();
    fastify.log.info({ pruned }, 'retention sweep');
    const next = sweepJob(new Date(Math.max(Date.now(), Date.parse(job.payload.at))), retention.everyMinutes);
    await enqueueJobs(fastify.database.kysely, [next]);
  });

  fastify.addHook('onReady', async () => {
    if (!fastify.config.jobs) return;
    await enqueueJobs(fastify.database.kysely, [sweepJob(fastify.clock(), retention.everyMinutes)]);
  });
}

export default fp(retentionJobsPlugin, { name: 'retention-jobs', dependencies: ['jobs', 'database'] });
