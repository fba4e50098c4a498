/** The transparency report, built once per app: `fastify.transparency`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createTransparencyService, type TransparencyService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    transparency: TransparencyService;
  }
}

async function transparencyPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'transparency',
    createTransparencyService(fastify.database, {
      maxMonths: fastify.config.transparencyMaxMonths,
      now: fastify.clock,
    }),
  );
}

export default fp(transparencyPlugin, { name: 'transparency-service', dependencies: ['database'] });
