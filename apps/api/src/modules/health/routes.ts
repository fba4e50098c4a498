import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ping } from './repository.ts';
import { Health, Ready } from '@opsi/contracts/reference';
import { ErrorBody } from '@opsi/contracts/common';

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/health',
    {
      schema: { tags: ['health'], summary: 'Liveness: 200 while the process runs', response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  fastify.get(
    '/api/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 when the database answers, else 503 (and 503 while the node drains)',
        response: { 200: Ready, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      // Draining (plugins/drain.ts): a balancer that still asks should send nothing more here.
      if (fastify.drain.draining()) {
        return reply
          .status(503)
          .send({ error: { code: 'service_unavailable' as const, message: 'This node is shutting down' } });
      }
      try {
        await ping(fastify.database.kysely);
        return { status: 'ready' as const, database: fastify.database.engine };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply
          .status(503)
          .send({ error: { code: 'service_unavailable' as const, message: 'The database does not answer' } });
      }
    },
  );
};

export default healthRoutes;
