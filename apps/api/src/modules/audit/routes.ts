import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { LogPage, LogQuery } from '@opsi/contracts/moderation';
import { requireRole } from '../../plugins/session.ts';

export const MODERATORS = ['moderator', 'admin'] as const;

const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/v1/moderation/log',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The moderation log (moderators and admins)',
        description:
          'Append-only, newest first: every moderator and admin action, and role changes from the command line. `actor` is null for the command line. Filter by `targetType` and `target` (a post id, handle or slug).',
        querystring: LogQuery,
        response: { 200: LogPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, MODERATORS);
      reply.header('cache-control', 'no-store');
      return fastify.audit.list(request.query);
    },
  );
};

export default auditRoutes;
