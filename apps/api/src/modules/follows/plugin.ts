/** The follows and feed service, built once per app with the configured limits: `fastify.follows`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createFollowsService, type FollowsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    follows: FollowsService;
  }
}

async function followsPlugin(fastify: FastifyInstance) {
  fastify.decorate('follows', createFollowsService(fastify.database, fastify.memberLimits));
}

export default fp(followsPlugin, { name: 'follows-service', dependencies: ['database', 'limits-service'] });
