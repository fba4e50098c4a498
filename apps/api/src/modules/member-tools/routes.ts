import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import {
  BlockList,
  BlockState,
  MuteList,
  MuteState,
  ThreadLevelBody,
  ThreadLevelState,
  WatchedThreadList,
} from '@opsi/contracts/member-tools';
import { requireUser } from '../../plugins/session.ts';

const HandleParams = Type.Object({ handle: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }) });
const SlugParams = Type.Object({ slug: Slug });
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

const memberToolsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { memberTools } = fastify;

  fastify.get(
    '/api/v1/me/blocks',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The members you blocked, newest first',
        response: { 200: BlockList, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.blocks(requireUser(request));
    },
  );

  fastify.get(
    '/api/v1/me/blocks/:handle',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Whether you blocked this member',
        params: HandleParams,
        response: { 200: BlockState, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.blocking(requireUser(request).id, request.params.handle);
    },
  );

  fastify.put(
    '/api/v1/me/blocks/:handle',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Block a member (idempotent)',
        description:
          'Their posts come collapsed for you (`authorBlocked: true`), their mentions and everything else they do ' +
          'notify and email you no more, they cannot reply to your posts or follow you (422 `blocked`), and their ' +
          'follow of you ends. 422 `cannot_block_self`; 404 for an unknown handle.',
        params: HandleParams,
        response: { 200: BlockState, ...errors, 422: ErrorBody },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await memberTools.block(user, request.params.handle);
      // What the member reads in threads (collapsed posts) changes now on this node; other nodes
      // hear it from the database.
      fastify.invalidations.local('reader', user.id);
      return state;
    },
  );

  fastify.delete(
    '/api/v1/me/blocks/:handle',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Unblock a member (idempotent)',
        params: HandleParams,
        response: { 200: BlockState, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const state = await memberTools.unblock(user, request.params.handle);
      fastify.invalidations.local('reader', user.id);
      return state;
    },
  );

  fastify.get(
    '/api/v1/me/mutes',
    {
      schema: {
        tags: ['follows'],
        summary: 'The case threads you muted, newest first',
        response: { 200: MuteList, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.mutes(requireUser(request));
    },
  );

  fastify.get(
    '/api/v1/me/mutes/cases/:slug',
    {
      schema: {
        tags: ['follows'],
        summary: 'Whether you muted this case thread',
        params: SlugParams,
        response: { 200: MuteState, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.muteState(requireUser(request), request.params.slug);
    },
  );

  fastify.put(
    '/api/v1/me/mutes/cases/:slug',
    {
      schema: {
        tags: ['follows'],
        summary: 'Mute a case thread (idempotent): nothing in it notifies or emails you, mentions included',
        params: SlugParams,
        response: { 200: MuteState, ...errors },
      },
    },
    async (request) => memberTools.setMuted(requireUser(request), request.params.slug, true),
  );

  fastify.delete(
    '/api/v1/me/mutes/cases/:slug',
    {
      schema: {
        tags: ['follows'],
        summary: 'Unmute a case thread (idempotent): a muted thread becomes "normal"; another level stays',
        params: SlugParams,
        response: { 200: MuteState, ...errors },
      },
    },
    async (request) => memberTools.setMuted(requireUser(request), request.params.slug, false),
  );

  fastify.get(
    '/api/v1/me/threads',
    {
      schema: {
        tags: ['follows'],
        summary: 'The case threads you watch, left at normal or muted, newest change first',
        description:
          'Posting in a thread or being mentioned in it makes you watch it (every later post notifies you, ' +
          'kind `watched_post`), unless you chose a level for it. A thread you never had a level for is not listed.',
        response: { 200: WatchedThreadList, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.threads(requireUser(request));
    },
  );

  fastify.get(
    '/api/v1/me/threads/cases/:slug',
    {
      schema: {
        tags: ['follows'],
        summary: 'Your level for this case thread (normal when you have none)',
        params: SlugParams,
        response: { 200: ThreadLevelState, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return memberTools.level(requireUser(request), request.params.slug);
    },
  );

  fastify.put(
    '/api/v1/me/threads/cases/:slug',
    {
      schema: {
        tags: ['follows'],
        summary: 'Choose your level for a case thread (idempotent)',
        description:
          '`watching`: every new post notifies you; `normal`: only replies to you and mentions of you; ' +
          '`muted`: nothing, mentions included. Your choice stays when you post or are mentioned there later.',
        params: SlugParams,
        body: ThreadLevelBody,
        response: { 200: ThreadLevelState, ...errors },
      },
    },
    async (request) => memberTools.setLevel(requireUser(request), request.params.slug, request.body.level),
  );
};

export default memberToolsRoutes;
