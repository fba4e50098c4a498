/** The email verification service, on the app's clock: `fastify.verification`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createVerificationService, type VerificationService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    verification: VerificationService;
  }
}

async function verificationPlugin(fastify: FastifyInstance) {
  fastify.decorate('verification', createVerificationService(fastify.database, fastify.clock));
}

export default fp(verificationPlugin, { name: 'verification-service', dependencies: ['database'] });
