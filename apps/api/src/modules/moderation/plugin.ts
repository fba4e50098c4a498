/** Reports and the moderation queue, built once per app: `fastify.moderation` and `fastify.moderationQueue`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createModerationService, type ModerationService } from './service.ts';
import { createQueue, type Queue } from './context/service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    moderation: ModerationService;
    moderationQueue: Queue;
  }
}

async function moderationPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'moderation',
    createModerationService(fastify.database, {
      posts: fastify.discussions.moderation,
      audit: fastify.audit,
      standing: fastify.standing,
      limits: fastify.memberLimits,
      reportsToHide: fastify.config.reportsToHide,
      now: fastify.clock,
    }),
  );
  fastify.decorate(
    'moderationQueue',
    createQueue(fastify.database, { audit: fastify.audit, standing: fastify.standing }),
  );
}

export default fp(moderationPlugin, {
  name: 'moderation-service',
  dependencies: ['database', 'discussions-service', 'audit-service', 'standing-service', 'limits-service'],
});
