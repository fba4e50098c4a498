import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Cursor, ErrorBody, Limit } from '@opsi/contracts/common';
import { LiftBody, Suspension, SuspensionBody, SuspensionList } from '@opsi/contracts/moderation';
import { requireRole } from '../../../plugins/session.ts';

const MODERATORS = ['moderator', 'admin'] as const;
const Handle = Type.Object({ handle: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody };

const standingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { standing } = fastify;

  fastify.post(
    '/api/v1/moderation/people/:handle/suspension',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Suspend a member (moderators and admins)',
        description:
          'For `days` days, or until lifted (`days: null`). Every session of the member is revoked and their sockets closed on every node; sign-in then answers 403 `account_suspended` with the end date. RSVPs, posts and follows stay. Suspending again replaces the suspension. Only an admin suspends a moderator or an admin; nobody suspends themselves (422 `cannot_moderate`).',
        params: Handle,
        body: SuspensionBody,
        response: { 200: Suspension, ...errors },
      },
    },
    async (request) => {
      const actor = requireRole(request, MODERATORS);
      const { suspension, revoked } = await standing.suspend(actor, request.params.handle, request.body);
      fastify.sessions.revoked(revoked);
      return suspension;
    },
  );

  fastify.delete(
    '/api/v1/moderation/people/:handle/suspension',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Lift a suspension (moderators and admins)',
        description: 'Idempotent: 204 whether or not a suspension was in force; only a real lift is logged.',
        params: Handle,
        body: LiftBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request, MODERATORS);
      await standing.lift(actor, request.params.handle, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/moderation/suspensions',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Suspensions in force (moderators and admins)',
        querystring: Type.Object(
          { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
          { additionalProperties: false },
        ),
        response: { 200: SuspensionList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, MODERATORS);
      reply.header('cache-control', 'no-store');
      return standing.list(request.query);
    },
  );
};

export default standingRoutes;
