import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { Feed, FeedQuery, FollowList, FollowParams, FollowState } from '@opsi/contracts/follows';
import { Type } from 'typebox';
import { CountryCode, Slug } from '@opsi/contracts/common';
import { hubAtom } from './service.ts';
import { CacheTags } from '../../platform/cache-tags.ts';

const followsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { follows } = fastify;

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
        description:
          'Per member: at most FOLLOWS_PER_HOUR follows and unfollows an hour (429 `rate_limited` with Retry-After beyond, `details[0].limit` = `follows_per_hour`). A person is told once that someone follows them, however often that someone unfollows and follows again.',
        params: FollowParams,
        response: {
          200: FollowState,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          422: ErrorBody,
          429: ErrorBody,
        },
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
        description: 'Counts towards FOLLOWS_PER_HOUR like a follow (429 `rate_limited` with Retry-After beyond).',
        params: FollowParams,
        response: { 200: FollowState, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
    },
    async (request) => {
      const state = await follows.unfollow(request.user, request.params.type, request.params.key);
      // A case shows its follower count; an unfollow publishes no activity.
      if (request.params.type === 'case') await fastify.invalidations.publish('public', CacheTags.case(state.key));
      return state;
    },
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
        description:
          'Posts deleted or hidden by a moderator are left out (for everyone: the feed never shows your own actions, and moderators find hidden posts in the moderation queue).',
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
          description: 'Public: posts deleted or hidden by a moderator are left out.',
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
      // From the public cache: the same for everyone, emptied by every committed activity.
      async (request, reply) =>
        fastify.publicCache.sendText(
          reply.header('cache-control', 'public, max-age=60'),
          `atom:${hub}:${request.params.key}`,
          'application/atom+xml; charset=utf-8',
          () =>
            hubAtom(
              fastify.database,
              { type: hub, key: request.params.key },
              fastify.config.publicOrigin,
              fastify.activities.onInvalid,
            ),
          [CacheTags.atoms, CacheTags.atom(hub, request.params.key)],
        ),
    );
  }
};

export default followsRoutes;
