/** The per-member limits (service.ts), built once per app from the config, on the app's clock: `fastify.memberLimits`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createMemberLimits, type MemberLimits } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    memberLimits: MemberLimits;
  }
}

async function memberLimitsPlugin(fastify: FastifyInstance) {
  fastify.decorate('memberLimits', createMemberLimits(fastify.database, fastify.config, fastify.clock));
}

export default fp(memberLimitsPlugin, { name: 'limits-service', dependencies: ['database'] });
