/**
 * Live events: every node turns committed event activities (the outbox) into Socket.IO events for
 * its own sockets: `rsvp:changed` counts to the event's room, `event:updated` when organisers
 * change or cancel it, and `rsvp:updated` to a member promoted from the waitlist (their user room).
 * The door (room `checkin:<slug>`, for the event's organisers and admins only) hears
 * `checkin:changed` from the check-in route, through the adapter, so every device at the door
 * shows who is in.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CheckinChanged } from '@opsi/contracts/events';
import { eventIdForSlug, findEvent } from './repository.ts';

/** The room of an event's door. */
export const checkinRoom = (slug: string) => `checkin:${slug}`;

async function liveEventsPlugin(fastify: FastifyInstance) {
  const io = fastify.io;
  // Sockets watch an event's room (`event:watch`) for the events that exist.
  fastify.realtime.rooms.register(
    'event',
    async (slug) => (await eventIdForSlug(fastify.database.kysely, slug)) !== undefined,
  );
  // The door: only those who manage the event (401 signed out, 403 others), re-checked on each watch.
  fastify.realtime.rooms.register(
    'checkin',
    async (slug) => (await eventIdForSlug(fastify.database.kysely, slug)) !== undefined,
    async (user, slug) => {
      if (!user) return 'unauthorized';
      const e = await findEvent(fastify.database.kysely, slug);
      return !e || (await fastify.events.canManage(user, e)) ? null : 'forbidden';
    },
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

export default fp(liveEventsPlugin, { name: 'live-events', dependencies: ['realtime', 'outbox', 'events-service'] });

/** Tells every device at the event's door (on every node) that someone was checked in. */
export function announceCheckin(fastify: FastifyInstance, payload: CheckinChanged): void {
  fastify.io.to(checkinRoom(payload.eventSlug)).emit('checkin:changed', payload);
}
