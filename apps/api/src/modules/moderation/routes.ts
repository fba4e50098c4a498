import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { Post, PostId } from '@opsi/contracts/discussions';
import {
  HideBody,
  ReportBody,
  ReportCreated,
  ReportPage,
  ReportQuery,
  ResolveBody,
  ResolveResult,
} from '@opsi/contracts/moderation';
import { requireRole, requireUser } from '../../plugins/session.ts';
import { MODERATORS } from '../audit/routes.ts';
import { REPORTS_ROOM } from './live.ts';

const ReportId = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,18}$', description: 'a report id' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const moderationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { moderation, moderationQueue, discussions } = fastify;

  fastify.post(
    '/api/v1/reports',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Report a post, a person, an event or a case (signed in)',
        description:
          '`target` is the post id, the handle or the slug. 201 `{id}`; the member’s open report on the same target again: 200 with it. 404 for an unknown target; 422 `rule_violation` (`cannot_report_self` on `target`) for yourself or your own post. A post reported by REPORTS_TO_HIDE distinct trusted members (trusted, organisers, moderators, admins) is hidden pending review. Per member: at most REPORTS_PER_HOUR reports an hour (429 `rate_limited`, `limit` = `reports_per_hour`). The reporter is told the outcome (a notification), never who acted.',
        body: ReportBody,
        response: { 200: ReportCreated, 201: ReportCreated, ...errors, 422: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { id, created, summary } = await moderation.report(user, request.body);
      if (summary) fastify.io.to(REPORTS_ROOM).emit('report:created', summary);
      if (created) await fastify.activities.poke();
      return reply.status(created ? 201 : 200).send({ id });
    },
  );

  fastify.get(
    '/api/v1/moderation/reports',
    {
      schema: {
        tags: ['moderation'],
        summary: 'The reports, grouped by target (moderators and admins)',
        description:
          'The most recently reported first. Each group has its reports (reporters and notes), counts by reason, and `context`: for a post, the post (its text even when hidden), its case, the posts around it and its author’s record (join date, posts, earlier log entries, suspension); for a person, their record; for an event or a case, the basics. Resolve a group with its `id`.',
        querystring: ReportQuery,
        response: { 200: ReportPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, MODERATORS);
      reply.header('cache-control', 'no-store');
      return moderationQueue.list(request.query);
    },
  );

  fastify.post(
    '/api/v1/moderation/reports/:id/resolve',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Resolve the reports on a target (moderators and admins)',
        description:
          'Closes every open report on the target of this report, in one transaction with the action and its log entry: `dismiss`; `hide` or `delete` a post; `warn` the member (a notification with the reason); `suspend` them (`days`, or null until lifted; sessions revoked, sockets closed). The member concerned is told the reason; each reporter is told "action taken" or "no action", never who acted. 409 `conflict` when nothing is open any more; 422 `rule_violation` (`action_not_applicable` on `action`) when the action does not fit the target.',
        params: ReportId,
        body: ResolveBody,
        response: { 200: ResolveResult, ...errors, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const actor = requireRole(request, MODERATORS);
      const { result, revoked } = await moderation.resolve(actor, request.params.id, request.body);
      fastify.sessions.revoked(revoked);
      await fastify.activities.poke();
      return result;
    },
  );

  for (const method of ['POST', 'DELETE'] as const) {
    fastify.route({
      method,
      url: '/api/v1/moderation/posts/:id/hidden',
      schema: {
        tags: ['moderation'],
        summary: method === 'POST' ? 'Hide a post (moderators and admins)' : 'Show a hidden post again',
        description:
          method === 'POST'
            ? 'Others then see a tombstone (`hidden: true`, empty body), live too (`post:updated`); its author still reads it with `hiddenReason`, and is told why. Idempotent. Answers the post as moderators see it.'
            : 'Idempotent; the post goes out again (`post:updated`). Answers the post.',
        params: Type.Object({ id: PostId }),
        body: HideBody,
        response: { 200: Post, ...errors },
      },
      handler: async (request) => {
        const actor = requireRole(request, MODERATORS);
        const { id } = request.params;
        if (method === 'POST') await moderation.hide(actor, id, request.body.reason);
        else await moderation.unhide(actor, id, request.body.reason);
        await fastify.activities.poke();
        return discussions.loadPost(id, actor);
      },
    });
  }
};

export default moderationRoutes;
