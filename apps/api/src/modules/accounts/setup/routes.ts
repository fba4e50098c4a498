/** The first admin's setup link, used by a signed-in member (README, "The first admin"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SetupClaimBody, SetupClaimed } from '@opsi/contracts/accounts';
import { ErrorBody } from '@opsi/contracts/common';
import { requireUser } from '../../../plugins/session.ts';

const HOUR = 60 * 60 * 1000;

const setupRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { setup } = fastify;

  fastify.post(
    '/api/v1/setup/claim',
    {
      config: { rateLimit: { max: fastify.config.tokenChecksPerHour, timeWindow: HOUR } },
      schema: {
        tags: ['admin'],
        summary: 'Become the first admin with the one-time setup link printed at start',
        description:
          'While the site has no admin, every start of the server prints a setup link (`/setup/<token>`) in its log. ' +
          'Used by a signed-in member, the token makes them admin (written to the moderation log, `set_role`, ' +
          'reason `setup link`). Single use, valid SETUP_LINK_HOURS (24 by default), stored hashed. 422 (field ' +
          '`token`, `link_invalid`) for an unknown, used or expired token; 409 `conflict` once the site has an admin.',
        body: SetupClaimBody,
        response: { 200: SetupClaimed, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await setup.claim(user, request.body.token);
      // The session carries the new role from the next request (the users trigger drops it everywhere).
      fastify.sessions.userChanged(user.id);
      fastify.io.in(`user:${user.id}`).disconnectSockets(true);
      reply.header('cache-control', 'no-store');
      return { handle: user.handle, role: 'admin' as const };
    },
  );
};

export default setupRoutes;
