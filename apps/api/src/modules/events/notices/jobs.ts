/**
 * The events module's jobs (notices/service.ts does the work): the day-before reminders, scheduled
 * in the queue when an event is created or moved, and the emails confirming an answer (going, waitlisted), for a seat from the waitlist, a
 * new time or place, a cancellation and an organiser's message, enqueued in the transaction of
 * the change. Every node with jobs on may run them; the queue's row locks and the email ledger
 * make each email go once.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createEventNoticesService } from './service.ts';

async function eventJobsPlugin(fastify: FastifyInstance) {
  const { digests } = fastify;
  const notices = createEventNoticesService(fastify.database, fastify.config.publicOrigin, fastify.clock, {
    send: (message) => fastify.mailer.send(message),
    unsubscribe: (userId, kind, locale) => digests.unsubscribeHeaders(userId, kind, locale),
  });

  fastify.jobs.register('event.reminders', async (job) => {
    const added = await notices.scheduleReminders(job);
    if (!added) return;
    // The notifications (from the activity) now, and the emails just enqueued.
    void fastify.activities.poke();
    void fastify.jobs.poke();
  });
  fastify.jobs.register('email.event_reminder', async (job) => {
    await notices.reminder(job);
  });
  fastify.jobs.register('email.rsvp_promoted', async (job) => {
    await notices.promoted(job);
  });
  fastify.jobs.register('email.rsvp_confirmed', async (job) => {
    await notices.confirmed(job);
  });
  fastify.jobs.register('email.event_changed', async (job) => {
    await notices.changed(job);
  });
  fastify.jobs.register('email.event_cancelled', async (job) => {
    await notices.cancelled(job);
  });
  fastify.jobs.register('email.event_message', async (job) => {
    await notices.message(job);
  });
}

export default fp(eventJobsPlugin, {
  name: 'event-jobs',
  dependencies: ['jobs', 'mail', 'database', 'outbox', 'digests-service'],
});
