import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import {
  CasesSuggestions,
  CasesSuggestQuery,
  PeopleSuggestions,
  PeopleSuggestQuery,
} from '@opsi/contracts/suggestions';
import { requireUser } from '../../plugins/session.ts';

// Reads for the signed-in composer, under the per-address request limit (RATE_LIMIT_PER_MINUTE) as every read.
const suggestionsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { suggestions } = fastify;

  fastify.get(
    '/api/v1/suggestions/people',
    {
      schema: {
        tags: ['profiles'],
        summary: 'Members to @mention, as the composer’s `@` and a few letters are typed',
        description:
          'Members whose name (or a word of it) or handle (or a dash-separated part) starts with `q` (at least 2 characters, spaces around it trimmed). With `case`, the thread’s participants (a live post in it) come first; then handles starting with `q`, then by name. Never you, a deleted or suspended account, or a member who blocked you (your mention would not reach them). At most `limit` (8 by default, 10 at most).',
        querystring: PeopleSuggestQuery,
        response: { 200: PeopleSuggestions, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      reply.header('cache-control', 'no-store');
      return suggestions.people(user.id, request.query);
    },
  );

  fastify.get(
    '/api/v1/suggestions/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases to #link, as the composer’s `#` and a few letters are typed',
        description:
          'Cases whose slug (or a dash-separated part) or title (or a word of it) starts with `q` (at least 2 characters): slugs starting with `q` first, then the most recently active. `#slug` in a post becomes a link to the case. At most `limit` (8 by default, 10 at most).',
        querystring: CasesSuggestQuery,
        response: { 200: CasesSuggestions, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      requireUser(request);
      reply.header('cache-control', 'no-store');
      return suggestions.cases(request.query);
    },
  );
};

export default suggestionsRoutes;
