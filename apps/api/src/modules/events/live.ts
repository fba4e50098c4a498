/**
 * Live events: every node turns committed event activities (the outbox) into Socket.IO events for
 * its own sockets: `rsvp:changed` counts to the event's room, `event:updated` when organisers
 * change or cancel it, and `rsvp:updated` to a member promoted from the waitlist (their user room).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { eventIdForSlug } from './repository.ts';

interface EventPayload {
  eventSlug?: string;
  goingCount?: number;
  waitlistCount?: number;
  interestedCount?: number;
  capacity?: number | null;
  promoted?: string[];
}

async function liveEventsPlugin(fastify: FastifyInstance) {
  const io = fastify.io;
  // Sockets watch an event's room (`event:watch`) for the events that exist.
  fastify.realtime.rooms.register(
    'event',
    async (slug) => (await eventIdForSlug(fastify.database.kysely, slug)) !== undefined,
  );
  const unsubscribe = fastify.activities.subscribe((activity) => {
    if (activity.objectType !== 'event') return;
    const p = activity.payload as EventPayload;
    const slug = p.eventSlug ?? activity.objectId;
    const room = `event:${slug}`;
    if (typeof p.goingCount === 'number') {
      io.local.to(room).emit('rsvp:changed', {
        eventSlug: slug,
        goingCount: p.goingCount,
        waitlistCount: p.waitlistCount ?? 0,
        interestedCount: p.interestedCount ?? 0,
        capacity: p.capacity ?? null,
      });
    }
    if (activity.verb === 'updated' || activity.verb === 'cancelled') {
      io.local
        .to(room)
        .emit('event:updated', { eventSlug: slug, status: activity.verb === 'cancelled' ? 'cancelled' : 'published' });
    }
    for (const userId of p.promoted ?? []) {
      io.local.to(`user:${userId}`).emit('rsvp:updated', { eventSlug: slug, status: 'going' });
    }
  });
  fastify.addHook('preClose', async () => {
    unsubscribe();
  });
}

export default fp(liveEventsPlugin, { name: 'live-events', dependencies: ['realtime', 'outbox'] });
