/** The discussions service, built once per app with the configured limits: `fastify.discussions`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDiscussionsService, type DiscussionsService } from './service.ts';
import { createReaderStates } from './reading/states.ts';
import { ALL } from '../../platform/invalidations/bus.ts';

declare module 'fastify' {
  interface FastifyInstance {
    discussions: DiscussionsService;
  }
}

async function discussionsPlugin(fastify: FastifyInstance) {
  const { config } = fastify;
  // Readers' own states in threads, in memory; forgotten on every node when the database says
  // their reactions, read markers or blocks changed (and at once by the service's own writes).
  const readers = createReaderStates(fastify.database.kysely, {
    ttlMs: config.memberCacheSeconds * 1000,
    maxEntries: config.memberCacheEntries,
  });
  const forget = (userId: string) => (userId === ALL ? readers.forgetEveryone() : readers.forget(userId));
  fastify.invalidations.on('reader', forget);
  fastify.invalidations.on('user', forget);
  fastify.decorate(
    'discussions',
    createDiscussionsService(fastify.database, {
      cases: fastify.cases,
      limits: fastify.memberLimits,
      audit: fastify.audit,
      readers,
    }),
  );
}

export default fp(discussionsPlugin, {
  name: 'discussions-service',
  dependencies: ['database', 'invalidations', 'cases-service', 'limits-service', 'audit-service'],
});
