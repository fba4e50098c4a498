/**
 * Live events: every node turns committed event activities (the outbox) into Socket.IO events for
 * its own sockets: `rsvp:changed` counts to the event's room, `event:updated` when organisers
 * change or cancel it, and `rsvp:updated` to a member promoted from the waitlist (their user room).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { eventIdForSlug } from './repository.ts';

async function liveEventsPlugin(fastify: FastifyInstance) {
  const io = fastify.io;
  // Sockets watch an event's room (`event:watch`) for the events that exist.
  fastify.realtime.rooms.register(
    'event',
    async (slug) => (await eventIdForSlug(fastify.database.kysely, slug)) !== undefined,
  );
  const unsubscribe = fastify.activities.subscribe((activity) => {
    // The events module's own verbs (catalogue-entries.ts), not others' about an event (`followed`).
    if (activity.objectType !== 'event' || activity.verb === 'followed') return;
    // Typed by its verb: those that change the counts carry them.
    const p = activity.payload;
    const slug = p.eventSlug;
    const room = `event:${slug}`;
    if ('goingCount' in p) {
      io.local.to(room).emit('rsvp:changed', {
        eventSlug: slug,
        goingCount: p.goingCount,
        waitlistCount: p.waitlistCount,
        interestedCount: p.interestedCount,
        capacity: p.capacity,
      });
    }
    if (activity.verb === 'updated' || activity.verb === 'cancelled') {
      io.local
        .to(room)
        .emit('event:updated', { eventSlug: slug, status: activity.verb === 'cancelled' ? 'cancelled' : 'published' });
    }
    for (const userId of 'promoted' in p ? p.promoted : []) {
      io.local.to(`user:${userId}`).emit('rsvp:updated', { eventSlug: slug, status: 'going' });
    }
  });
  fastify.addHook('preClose', async () => {
    unsubscribe();
  });
}

export default fp(liveEventsPlugin, { name: 'live-events', dependencies: ['realtime', 'outbox'] });
