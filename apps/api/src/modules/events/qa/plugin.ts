/**
 * The live layer of events (Q&A and polls), built once per app: `fastify.live`. Its changes go to
 * the event's room through the Socket.IO adapter, so the sockets of every node hear them (the room
 * is the one `event:watch` joins: events/live.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createLiveService, type LiveService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveService;
  }
}

async function livePlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'live',
    createLiveService({
      database: fastify.database,
      events: fastify.events,
      limits: fastify.memberLimits,
      clock: fastify.clock,
      broadcast: (slug, event, ...args) => {
        fastify.io.to(`event:${slug}`).emit(event, ...args);
      },
    }),
  );
}

export default fp(livePlugin, {
  name: 'live-service',
  dependencies: ['database', 'events-service', 'limits-service', 'realtime'],
});
