/** The moderation log, built once per app: `fastify.audit`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAuditService, type AuditService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

async function auditPlugin(fastify: FastifyInstance) {
  fastify.decorate('audit', createAuditService(fastify.database, fastify.clock));
}

export default fp(auditPlugin, { name: 'audit-service', dependencies: ['database'] });
