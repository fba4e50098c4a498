/** The proposals service, built once per app: `fastify.proposals`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createProposalsService, type ProposalsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    proposals: ProposalsService;
  }
}

async function proposalsPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'proposals',
    createProposalsService(fastify.database, {
      cases: fastify.cases,
      follows: fastify.follows,
      audit: fastify.audit,
      limits: fastify.memberLimits,
      now: fastify.clock,
    }),
  );
}

export default fp(proposalsPlugin, {
  name: 'proposals-service',
  dependencies: ['database', 'cases-service', 'follows-service', 'audit-service', 'limits-service'],
});
