/**
 * The events service, built once per app: `fastify.events`. Routes, calendars and demo data share
 * it, and with it the one in-memory queue that batches the RSVPs to each event.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createEventsService, type EventsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    events: EventsService;
  }
}

async function eventsPlugin(fastify: FastifyInstance) {
  fastify.decorate('events', createEventsService(fastify.database, fastify.config.publicOrigin, fastify.clock));
}

export default fp(eventsPlugin, { name: 'events-service', dependencies: ['database'] });
