/** The digests and unsubscribe service, built once per app (routes and jobs share it): `fastify.digests`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDigestsService, type DigestsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    digests: DigestsService;
  }
}

async function digestsPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'digests',
    createDigestsService(fastify.database, fastify.config.publicOrigin, {
      follows: fastify.follows,
      notifications: fastify.notifications,
      now: fastify.clock,
    }),
  );
}

export default fp(digestsPlugin, {
  name: 'digests-service',
  dependencies: ['database', 'follows-service', 'notifications-service'],
});
