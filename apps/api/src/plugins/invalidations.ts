/**
 * The invalidation bus (platform/invalidations/bus.ts) as `fastify.invalidations`: this node's
 * in-memory caches hear what every node's commits changed, on the database's `invalidations`
 * channel (LISTEN/NOTIFY, PostgreSQL or PGlite).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createInvalidationBus, type InvalidationBus } from '../platform/invalidations/bus.ts';
import { CHANNEL, notifyInvalidation } from '../platform/invalidations/repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    invalidations: InvalidationBus;
  }
}

async function invalidationsPlugin(fastify: FastifyInstance) {
  const db = fastify.database.kysely;
  const bus = createInvalidationBus((topic, key) => notifyInvalidation(db, topic, key));
  const unlisten = await fastify.database.listen(
    CHANNEL,
    (payload) => {
      try {
        bus.receive(payload);
      } catch (error) {
        fastify.log.error({ err: error, payload }, 'an invalidation listener failed');
      }
    },
    // Listening again after the database came back: what changed meanwhile was not heard, so
    // every cache of this node starts afresh.
    () => {
      fastify.log.warn('listening for invalidations again: this node’s caches are emptied');
      bus.missed();
    },
  );
  fastify.addHook('onClose', async () => unlisten());
  fastify.decorate('invalidations', bus);
}

export default fp(invalidationsPlugin, { name: 'invalidations', dependencies: ['database'] });
