import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { TrustBody, TrustState } from '@opsi/contracts/member-tools';
import { requireRole } from '../../../plugins/session.ts';
import { createTrustService } from './service.ts';

const MODERATORS = ['moderator', 'admin'] as const;
const Handle = Type.Object({ handle: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const trustRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const trust = createTrustService(fastify.database, { audit: fastify.audit, now: fastify.clock });

  fastify.post(
    '/api/v1/moderation/people/:handle/trust',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Trust a member: the new-member limits stop (moderators and admins)',
        description: 'Logged (action `trust`, details `{trusted: true}`). Again: the trust date moves to now.',
        params: Handle,
        body: TrustBody,
        response: { 200: TrustState, ...errors },
      },
    },
    async (request) => trust.set(requireRole(request, MODERATORS), request.params.handle, true, request.body.reason),
  );

  fastify.delete(
    '/api/v1/moderation/people/:handle/trust',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Take a member’s trust back (moderators and admins)',
        description:
          'The new-member limits apply again while the member is within NEW_MEMBER_DAYS of joining; they may earn ' +
          'trust again later. Logged (action `trust`, details `{trusted: false}`).',
        params: Handle,
        body: TrustBody,
        response: { 200: TrustState, ...errors },
      },
    },
    async (request) => trust.set(requireRole(request, MODERATORS), request.params.handle, false, request.body.reason),
  );
};

export default trustRoutes;
