/** The admin pages' API: members with their roles and suspensions, and role changes (admins only). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminPeoplePage, AdminPeopleQuery, AdminPerson, RoleBody } from '@opsi/contracts/admin';
import { ErrorBody } from '@opsi/contracts/common';
import { requireRole } from '../../../plugins/session.ts';

const ADMINS = ['admin'] as const;
const Handle = Type.Object({ handle: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }) });

const adminRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { standing } = fastify;

  fastify.get(
    '/api/v1/admin/people',
    {
      schema: {
        tags: ['admin'],
        summary: 'Members with their roles and suspensions (admins)',
        description:
          'Newest members first. `q` matches part of a handle or display name; `role` and `suspended=true` filter. `suspension` is the suspension in force, if any.',
        querystring: AdminPeopleQuery,
        response: { 200: AdminPeoplePage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, ADMINS);
      reply.header('cache-control', 'no-store');
      return standing.people(request.query);
    },
  );

  fastify.put(
    '/api/v1/admin/people/:handle/role',
    {
      schema: {
        tags: ['admin'],
        summary: 'Give a member a role (admins)',
        description:
          'Written to the moderation log (`set_role`, with the reason and the roles before and after). The member’s sessions carry the new role from their next request, and their sockets reconnect with it. An admin cannot take away their own admin role (422 `cannot_moderate`, field `role`).',
        params: Handle,
        body: RoleBody,
        response: { 200: AdminPerson, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const actor = requireRole(request, ADMINS);
      const { person, userId, changed } = await standing.changeRole(
        actor,
        request.params.handle,
        request.body.role,
        request.body.reason,
      );
      // Sockets keep the member as they were at the handshake: make them reconnect with the new role.
      if (changed) {
        fastify.sessions.userChanged(userId);
        fastify.io.in(`user:${userId}`).disconnectSockets(true);
      }
      return person;
    },
  );
};

export default adminRoutes;
