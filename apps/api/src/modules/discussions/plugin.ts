/** The discussions service, built once per app with the configured limits: `fastify.discussions`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createDiscussionsService, type DiscussionsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    discussions: DiscussionsService;
  }
}

async function discussionsPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'discussions',
    createDiscussionsService(fastify.database, {
      cases: fastify.cases,
      limits: fastify.memberLimits,
      audit: fastify.audit,
    }),
  );
}

export default fp(discussionsPlugin, {
  name: 'discussions-service',
  dependencies: ['database', 'cases-service', 'limits-service', 'audit-service'],
});
