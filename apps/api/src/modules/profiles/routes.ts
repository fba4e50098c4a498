import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Handle } from '@opsi/contracts/accounts';
import { ErrorBody } from '@opsi/contracts/common';
import { PeopleList, PeopleQuery, Profile, ProfilePatch } from '@opsi/contracts/profiles';
import { ProposedCaseLink } from '@opsi/contracts/proposals';
import { AppError } from '../../platform/errors.ts';

// Not cached: profile edits publish no activity yet, so a cached read could not be emptied on change.
const profilesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { profiles } = fastify;

  fastify.get(
    '/api/v1/people',
    {
      schema: {
        tags: ['profiles'],
        summary: 'The member directory',
        description:
          'Search (`q`: full text in names, headlines, organisations and bios, web-search syntax, plus the start of a name or handle) and filters by country and theme. With `q` the best matches come first; otherwise the newest members.',
        querystring: PeopleQuery,
        response: { 200: PeopleList, 400: ErrorBody },
      },
    },
    async (request) => profiles.list(request.query),
  );

  fastify.get(
    '/api/v1/people/:handle',
    {
      schema: {
        tags: ['profiles'],
        summary: 'A member’s public profile',
        description: '`proposedCases`: the cases they proposed that were published (newest first, at most 100).',
        params: Type.Object({ handle: Handle }),
        response: {
          200: Type.Object({ ...Profile.properties, proposedCases: Type.Array(ProposedCaseLink) }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const profile = await profiles.get(request.params.handle);
      return { ...profile, proposedCases: await fastify.proposals.proposedBy(profile.handle) };
    },
  );

  fastify.patch(
    '/api/v1/me/profile',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Edit your own profile',
        description:
          'Any subset of the fields. `bio` is markdown, rendered to sanitised `bioHtml`; `countryCode: null` clears the country; `themes` and `links` replace the lists.',
        body: ProfilePatch,
        response: { 200: Profile, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      if (!request.user) throw new AppError('unauthorized', 'Sign in to edit your profile');
      const profile = await profiles.updateProfile(request.user.id, request.body);
      fastify.sessions.userChanged(request.user.id);
      return profile;
    },
  );
};

export default profilesRoutes;
