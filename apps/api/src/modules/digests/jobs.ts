/**
 * The digest and notification email jobs: the schedule of each period (created at start if
 * missing, then each run schedules the next), one digest per member and period, and an email per
 * notification set to "email now". The first periods are counted from the app's clock; each
 * schedule job then runs on the queue's (the database's) time.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { enqueueJobs } from '../../platform/jobs/repository.ts';
import { nextDigestAt, scheduleJob } from './service.ts';

async function digestJobsPlugin(fastify: FastifyInstance) {
  const { digests } = fastify;

  fastify.jobs.register('digest.schedule', async (job) => {
    const { frequency, period } = job.payload;
    await digests.schedule(frequency, period, new Date());
    void fastify.jobs.poke();
  });

  fastify.jobs.register('email.digest', async (job) => {
    const { userId, frequency } = job.payload;
    const digest = await digests.digestFor(userId, frequency);
    if (!digest) return;
    await fastify.mailer.send(digest.mail);
    await digests.markSent(userId, digest.lastActivityId);
  });

  fastify.jobs.register('email.notification', async (job) => {
    const mail = await digests.notificationMail(job.payload.notificationId);
    if (mail) await fastify.mailer.send(mail);
  });

  fastify.addHook('onReady', async () => {
    if (!fastify.config.jobs) return;
    const now = fastify.clock();
    await enqueueJobs(fastify.database.kysely, [
      scheduleJob('daily', nextDigestAt('daily', now)),
      scheduleJob('weekly', nextDigestAt('weekly', now)),
    ]);
  });
}

export default fp(digestJobsPlugin, {
  name: 'digest-jobs',
  dependencies: ['jobs', 'mail', 'database', 'digests-service'],
});
