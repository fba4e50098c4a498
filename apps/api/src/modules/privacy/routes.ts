import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { DataExport, DeleteAccountBody } from '@opsi/contracts/privacy';
import { requireUser } from '../../plugins/session.ts';

const HOUR = 60 * 60 * 1000;

const privacyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { privacy } = fastify;

  fastify.get(
    '/api/v1/me/export',
    {
      // Per member (the session is read before route limits), whatever address they come from.
      config: {
        rateLimit: {
          max: fastify.config.exportsPerHour,
          timeWindow: HOUR,
          keyGenerator: (request) => (request.user ? `export:member:${request.user.id}` : `export:${request.ip}`),
        },
      },
      schema: {
        tags: ['privacy'],
        summary: 'Download everything the platform holds about you (JSON)',
        description:
          'A file (`Content-Disposition: attachment`, `opsi-data-<handle>-<date>.json`): the account, profile, settings, sessions, posts with their earlier versions, reactions, RSVPs with tickets, follows, notifications and invitations. Never a token or its hash, nor another member’s private data. Limited per member (EXPORTS_PER_HOUR).',
        response: { 200: DataExport, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const data = await privacy.exportOf(user.id, request.sessionId);
      const day = data.exportedAt.slice(0, 10);
      return reply
        .header('content-disposition', `attachment; filename="opsi-data-${user.handle}-${day}.json"`)
        .send(data);
    },
  );

  fastify.delete(
    '/api/v1/me',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Delete your account (with your password)',
        description:
          'In one transaction: the profile, sessions (their sockets close), follows both ways, RSVPs (each seat freed promotes the waitlist), notifications, settings, tokens and reactions go; posts are anonymised ("a former member") or deleted, as `posts` says; activities keep nothing naming you. Then signing in with the old credentials fails and the handle answers 404. 422 `password_incorrect` on `password`; 422 `last_admin` when you are the only administrator.',
        body: DeleteAccountBody,
        response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { revoked } = await privacy.deleteAccount(user.id, request.body.password, request.body.posts);
      fastify.sessions.revoked(revoked);
      await fastify.sessions.end(request, reply);
      fastify.publicCache.clear();
      return reply.status(204).send(null);
    },
  );
};

export default privacyRoutes;
