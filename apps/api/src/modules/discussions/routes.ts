import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CaseMoved } from '@opsi/contracts/case-authoring';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import {
  NewPost,
  Post,
  PostEdit,
  PostId,
  PostList,
  PostListQuery,
  PostRevisionId,
  PostRevisions,
  Preview,
  PreviewBody,
  ReactionKind,
  ReactionState,
  ReadMarker,
  RevisionRedaction,
  SearchQuery,
  SearchResults,
  UnreadCounts,
} from '@opsi/contracts/discussions';
import { requireUser } from '../../plugins/session.ts';
import { canModerate } from './service.ts';
import { CacheTags } from '../../platform/cache-tags.ts';
import { freshLoads } from '../../platform/fresh-load.ts';

const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 422: ErrorBody };
/** Writes a member makes: beyond their per-member limit, 429 with Retry-After (the limit in `details`). */
const WriteErrors = { ...Errors, 429: ErrorBody };

const discussionsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { discussions } = fastify;
  const catchUps = freshLoads();

  fastify.get(
    '/api/v1/cases/:slug/posts',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['discussions'],
        summary: 'The thread of a case, oldest first',
        description:
          'Top-level posts and replies in one list (a reply has `parentId`). After a reconnect, pass the last id seen as `after` to catch up: a page asked with `after` (0 included: a client that held no post) is read when asked, never from a cache, so it holds every post committed before the request, whichever server answers; without `after` the start of the thread may come from a cache. Deleted posts stay as tombstones (`deleted: true`, empty body) while they have replies. A post hidden by the moderators is a tombstone (`hidden: true`, empty body) for others; its author, moderators and admins get the body and `hiddenReason`.',
        params: Type.Object({ slug: Slug }),
        querystring: PostListQuery,
        response: { 200: PostList, 301: CaseMoved, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const key = `posts:${slug}:${request.query.after ?? ''}:${request.query.limit ?? ''}`;
      const tags = [CacheTags.thread(slug)];
      // A catch-up (the posts after one the client holds) is read after the request came, never
      // from this node's cache: a post committed through another node stays out of that cache's page
      // until this node's outbox reader has handed it out, though the client may have heard of it
      // (live from that node, or as a later post's previousId). `after=0` too: a client that held
      // no post (an empty thread) catches up from 0. Without `after`: the start of the thread
      // (what the server-rendered page reads), cached.
      if (request.query.after !== undefined) {
        if (!request.user) return catchUps.get(key, () => discussions.list(slug, request.query, null));
        const page = await catchUps.get(`${key}:page`, () => discussions.page(slug, request.query));
        const serializePost = reply.compileSerializationSchema(Post as never) as (post: Post) => string;
        const body = await discussions.readerBody(page, slug, request.user, serializePost);
        return reply.type('application/json; charset=utf-8').send(body as never);
      }
      // Signed in: the public page (cached) plus what is the reader's own (in memory, kept right
      // by their writes on every node), written as JSON without serialising the posts again.
      if (request.user) {
        const pageKey = `${key}:page`;
        const page = await fastify.publicCache.get(pageKey, () => discussions.page(slug, request.query), tags);
        const serializePost = reply.compileSerializationSchema(Post as never) as (post: Post) => string;
        const body = await discussions.readerBody(page, slug, request.user, serializePost);
        // The next reader of this page can be answered by the front (plugins/front.ts) from memory.
        fastify.publicCache.madeFrom(reply, pageKey, page, (viewer) =>
          discussions.readerChunksNow(page, slug, viewer, serializePost),
        );
        return reply.type('application/json; charset=utf-8').send(body as never);
      }
      return fastify.publicCache.send(reply, key, () => discussions.list(slug, request.query, null), tags);
    },
  );

  fastify.post(
    '/api/v1/cases/:slug/posts',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Post in a case thread (signed in)',
        description:
          'Markdown, 1–20,000 characters; `bodyHtml` is rendered and sanitised on the server. `parentId` replies under a post (a reply to a reply joins its conversation). A repeated `clientId` returns the first post with 200. Per member: at most POSTS_PER_MINUTE posts and replies a minute (429 `rate_limited` with Retry-After beyond, `details[0].limit` = `posts_per_minute`) and MENTIONS_PER_POST members mentioned (422 `rule_violation` on `body`, `limit` = `mentions_per_post`).',
        params: Type.Object({ slug: Slug }),
        body: NewPost,
        response: { 200: Post, 201: Post, ...WriteErrors },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { post, created, activityId } = await discussions.create(user, request.params.slug, request.body);
      // Its activity handed out (live threads, the stream) before the answer: the reads its
      // commit's notice started may do that already.
      await (activityId ? fastify.activities.pokeAfter(activityId) : fastify.activities.poke());
      return reply.status(created ? 201 : 200).send(post);
    },
  );

  fastify.get(
    '/api/v1/posts/:id',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['discussions'],
        summary: 'One post',
        description:
          'Hidden by the moderators: a tombstone (`hidden: true`, empty body) except for its author, moderators and admins, who get the body and `hiddenReason`.',
        params: Type.Object({ id: PostId }),
        response: { 200: Post, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => discussions.loadPost(request.params.id, request.user ?? null),
  );

  fastify.patch(
    '/api/v1/posts/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Edit a post (its author, a moderator or an admin)',
        description:
          'The previous version is kept: see /api/v1/posts/{id}/revisions. A moderator or admin may send `redactPrevious: {reason}` to redact that previous version in the same step (403 for others). Per member: at most POSTS_PER_MINUTE edits a minute (429 `rate_limited`, `limit` = `edits_per_minute`); MENTIONS_PER_POST applies as to a new post. An edit notifies no one.',
        params: Type.Object({ id: PostId }),
        body: PostEdit,
        response: { 200: Post, ...WriteErrors },
      },
    },
    async (request) => {
      const { body, language, redactPrevious } = request.body;
      const post = redactPrevious
        ? await discussions.editRedactingPrevious(
            request.user,
            request.params.id,
            body,
            redactPrevious.reason,
            language,
          )
        : await discussions.edit(request.user, request.params.id, body, language);
      await fastify.activities.poke();
      return post;
    },
  );

  fastify.delete(
    '/api/v1/posts/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Delete a post (its author, a moderator or an admin)',
        description: 'A post with live replies stays as a tombstone so the conversation still reads.',
        params: Type.Object({ id: PostId }),
        response: { 204: Type.Null(), ...Errors },
      },
    },
    async (request, reply) => {
      await discussions.remove(request.user, request.params.id);
      await fastify.activities.poke();
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/posts/:id/revisions',
    {
      schema: {
        tags: ['discussions'],
        summary: 'The edit history of a post',
        description: 'Of a post hidden by a moderator: only for its author, moderators and admins (404 for others).',
        params: Type.Object({ id: PostId }),
        response: { 200: PostRevisions, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => discussions.revisions(request.params.id, request.user ?? null),
  );

  fastify.post(
    '/api/v1/posts/:id/revisions/:revisionId/redaction',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Redact an earlier version of a post (moderators and admins)',
        description:
          'Blanks the text of that version in the database (body and HTML) and records who, when and why (not public). The history then shows it to everyone as `redacted: true` with empty `body` and `bodyHtml`. Redacting a version again changes nothing. Answers the updated history.',
        params: Type.Object({ id: PostId, revisionId: PostRevisionId }),
        body: RevisionRedaction,
        response: {
          200: PostRevisions,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          413: ErrorBody,
        },
      },
    },
    async (request) => {
      const { id, revisionId } = request.params;
      const history = await discussions.redactRevision(request.user, id, revisionId, request.body.reason);
      await fastify.activities.poke();
      return history;
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    fastify.route({
      method,
      url: '/api/v1/posts/:id/reactions/:kind',
      schema: {
        tags: ['discussions'],
        summary: method === 'PUT' ? 'React to a post (idempotent)' : 'Take a reaction back (idempotent)',
        description:
          'Per member: at most REACTIONS_PER_MINUTE reactions given or taken back a minute (429 `rate_limited` with Retry-After beyond, `limit` = `reactions_per_minute`).',
        params: Type.Object({ id: PostId, kind: ReactionKind }),
        response: { 200: ReactionState, ...WriteErrors },
      },
      handler: async (request) => {
        const { id, kind } = request.params;
        const state = await discussions.react(request.user, id, kind, method === 'PUT');
        await fastify.activities.poke();
        return state;
      },
    });
  }

  fastify.post(
    '/api/v1/posts/preview',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Render markdown exactly as a post would be (nothing is stored)',
        body: PreviewBody,
        response: { 200: Preview, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody },
      },
    },
    async (request) => {
      requireUser(request);
      return discussions.preview(request.body.body);
    },
  );

  fastify.put(
    '/api/v1/cases/:slug/read',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Remember the last post you have read in a thread (never moves back)',
        params: Type.Object({ slug: Slug }),
        body: ReadMarker,
        response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await discussions.markRead(request.user, request.params.slug, request.body.lastReadPostId);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/me/unread',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Unread posts in the threads you have visited, for the given cases',
        querystring: Type.Object({
          slugs: Type.Array(Slug, { maxItems: 100, description: 'comma-free: repeat ?slugs=a&slugs=b' }),
        }),
        response: { 200: UnreadCounts, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => discussions.unread(request.user, request.query.slugs),
  );

  fastify.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Search cases and posts together',
        description:
          'Web-search syntax (quotes, OR, -exclusion); best matches first. `snippet` is escaped HTML with the matches in `<mark>`. Posts hidden by a moderator are found only by their author and by moderators and admins (and counted in `total.posts` only for them); deleted posts by no one.',
        querystring: SearchQuery,
        response: { 200: SearchResults, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = request.user;
      // Anonymous: the public answer, cached. Signed in: read fresh (their own hidden posts).
      if (!user) {
        return fastify.publicCache.send(
          reply,
          `search:${JSON.stringify(request.query)}`,
          () => discussions.search(request.query),
          [CacheTags.search, CacheTags.caseLists],
        );
      }
      return discussions.search(request.query, { id: user.id, moderator: canModerate(user) });
    },
  );
};

export default discussionsRoutes;
