/**
 * The first admin's setup links: `fastify.setup`, and, once the server listens while the site has
 * no admin, a new link printed in the log (one per start; each expires after SETUP_LINK_HOURS).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createSetupService, type SetupService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    setup: SetupService;
  }
}

async function setupPlugin(fastify: FastifyInstance) {
  const setup = createSetupService(fastify.database, {
    audit: fastify.audit,
    now: fastify.clock,
    lifetimeHours: fastify.config.setupLinkHours,
  });
  fastify.decorate('setup', setup);
  fastify.addHook('onListen', async () => {
    const offer = await setup.offer();
    if (!offer) return;
    const link = `${fastify.config.publicOrigin}/setup/${offer.token}`;
    fastify.log.warn(
      { expiresAt: offer.expiresAt.toISOString() },
      `No admin yet. To become the admin, sign up or sign in, then open this one-time link before ${offer.expiresAt.toISOString()}: ${link}`,
    );
  });
}

export default fp(setupPlugin, { name: 'setup-service', dependencies: ['database', 'audit-service'] });
