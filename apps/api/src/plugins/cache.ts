/**
 * The public read cache (platform/cache.ts) as `fastify.publicCache`, emptied on this node by
 * every committed activity, so a change is never served stale after its outbox read.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createPublicCache, type PublicCache } from '../platform/cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    publicCache: PublicCache;
  }
}

async function cachePlugin(fastify: FastifyInstance) {
  const cache = createPublicCache();
  fastify.activities.subscribe(() => cache.clear());
  fastify.decorate('publicCache', cache);
}

export default fp(cachePlugin, { name: 'cache', dependencies: ['outbox'] });
