/** A member's standing (role, suspension), built once per app on the moderation log: `fastify.standing`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createStandingService, type StandingService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    standing: StandingService;
  }
}

async function standingPlugin(fastify: FastifyInstance) {
  fastify.decorate('standing', createStandingService(fastify.database, { audit: fastify.audit, now: fastify.clock }));
}

export default fp(standingPlugin, { name: 'standing-service', dependencies: ['database', 'audit-service'] });
