/** The introductions service (matches and requests), built once per app: `fastify.introductions`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createIntroductionsService, type IntroductionsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    introductions: IntroductionsService;
  }
}

async function introductionsPlugin(fastify: FastifyInstance) {
  const { config } = fastify;
  fastify.decorate(
    'introductions',
    createIntroductionsService(fastify.database, fastify.clock, {
      pendingMax: config.abuseLimits ? config.introductionsPendingMax : null,
    }),
  );
}

export default fp(introductionsPlugin, { name: 'introductions-service', dependencies: ['database'] });
