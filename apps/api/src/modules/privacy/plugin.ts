/** The privacy service (export and account deletion), built once per app: `fastify.privacy`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createPrivacyService, type PrivacyService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    privacy: PrivacyService;
  }
}

async function privacyPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'privacy',
    createPrivacyService(fastify.database, { accounts: fastify.accounts, events: fastify.events }),
  );
}

export default fp(privacyPlugin, {
  name: 'privacy-service',
  dependencies: ['database', 'accounts-service', 'events-service'],
});
