import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { Feed, FeedQuery, FollowList, FollowParams, FollowState } from '@opsi/contracts/follows';
import { Type } from 'typebox';
import { CountryCode, Slug } from '@opsi/contracts/common';
import { createFollowsService, hubAtom } from './service.ts';

const followsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const follows = createFollowsService(fastify.database);

  fastify.get(
    '/api/v1/follows/:type/:key',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['follows'],
        summary: 'Follower count of a country, theme, case, event or person, and whether you follow it',
        params: FollowParams,
        response: { 200: FollowState, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => follows.get(request.user, request.params.type, request.params.key),
  );

  fastify.put(
    '/api/v1/follows/:type/:key',
    {
      schema: {
        tags: ['follows'],
        summary: 'Follow (idempotent)',
        params: FollowParams,
        response: { 200: FollowState, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const result = await follows.follow(request.user, request.params.type, request.params.key);
      await fastify.activities.poke();
      return result;
    },
  );

  fastify.delete(
    '/api/v1/follows/:type/:key',
    {
      schema: {
        tags: ['follows'],
        summary: 'Unfollow (idempotent)',
        params: FollowParams,
        response: { 200: FollowState, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => follows.unfollow(request.user, request.params.type, request.params.key),
  );

  fastify.get(
    '/api/v1/me/follows',
    {
      schema: {
        tags: ['follows'],
        summary: 'What you follow, newest first',
        response: { 200: FollowList, 401: ErrorBody },
      },
    },
    async (request) => follows.mine(request.user),
  );

  fastify.get(
    '/api/v1/me/feed',
    {
      schema: {
        tags: ['follows'],
        summary: 'What is new in what you follow, newest first, with the reasons',
        querystring: FeedQuery,
        response: { 200: Feed, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => follows.feed(request.user, request.query),
  );

  for (const hub of ['country', 'theme'] as const) {
    fastify.get(
      hub === 'country' ? '/api/v1/countries/:key/feed.atom' : '/api/v1/themes/:key/feed.atom',
      {
        schema: {
          tags: ['follows'],
          summary: `Atom feed of a ${hub} hub: new cases, posts and events there`,
          params: Type.Object({ key: hub === 'country' ? CountryCode : Slug }),
          response: {
            200: {
              description: 'An Atom feed (RFC 4287)',
              content: { 'application/atom+xml': { schema: Type.String() } },
            },
            400: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const xml = await hubAtom(
          fastify.database,
          { type: hub, key: request.params.key },
          fastify.config.publicOrigin,
        );
        return reply
          .header('content-type', 'application/atom+xml; charset=utf-8')
          .header('cache-control', 'public, max-age=60')
          .send(xml);
      },
    );
  }
};

export default followsRoutes;
