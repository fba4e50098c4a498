/** The member tools service (blocks, muted threads), built once per app: `fastify.memberTools`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createMemberToolsService, type MemberToolsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    memberTools: MemberToolsService;
  }
}

async function memberToolsPlugin(fastify: FastifyInstance) {
  fastify.decorate('memberTools', createMemberToolsService(fastify.database, { follows: fastify.follows }));
}

export default fp(memberToolsPlugin, { name: 'member-tools-service', dependencies: ['database', 'follows-service'] });
