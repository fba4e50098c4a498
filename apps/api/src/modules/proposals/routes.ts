import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import { Proposal, ProposalList, ProposalQuery, ReviewBody, ReviewPage, ReviewQuery } from '@opsi/contracts/proposals';
import { requireRole, requireUser } from '../../plugins/session.ts';
import { MODERATORS } from '../audit/routes.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

const proposalsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { proposals } = fastify;

  fastify.get(
    '/api/v1/me/proposals',
    {
      schema: {
        tags: ['cases'],
        summary: 'The cases you proposed (signed in)',
        description:
          'Newest first, with their status (`pending`, `approved`, `rejected` i.e. returned), the reason given when returned, and `caseSlug` once approved.',
        querystring: ProposalQuery,
        response: { 200: ProposalList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      reply.header('cache-control', 'no-store');
      return proposals.mine(user, request.query);
    },
  );

  fastify.get(
    '/api/v1/moderation/cases',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Proposed cases to review (moderators and admins)',
        description:
          '`status` defaults to `pending`: the oldest first (first come, first reviewed). `approved` and `rejected`: the most recently proposed first. Each item is the proposal in full, its proposer (join date, live posts) and who reviewed it.',
        querystring: ReviewQuery,
        response: { 200: ReviewPage, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request, MODERATORS);
      reply.header('cache-control', 'no-store');
      return proposals.queue(request.query);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    fastify.post(
      `/api/v1/moderation/cases/:slug/${decision}`,
      {
        schema: {
          tags: ['moderation'],
          summary:
            decision === 'approve'
              ? 'Approve a proposed case: it is published (moderators and admins)'
              : 'Return a proposed case to its proposer, with a reason (moderators and admins)',
          description:
            decision === 'approve'
              ? 'In one transaction: the case is published under the proposal’s slug (the next free one if a case took it meanwhile), created by and credited to its proposer (revision 1 theirs, `created` activity as any new case), the proposer follows it and is told (`proposal_approved`), and the moderation log records `approve_case`. 409 `conflict` when it was already reviewed.'
              : 'The proposer is told, with the reason (`proposal_returned`); the log records `reject_case`. 409 `conflict` when it was already reviewed.',
          params: Type.Object({ slug: Slug }),
          body: ReviewBody,
          response: { 200: Proposal, ...errors, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) => {
        const actor = requireRole(request, MODERATORS);
        const { proposal } = await proposals[decision](actor, request.params.slug, request.body ?? {});
        await fastify.activities.poke();
        return proposal;
      },
    );
  }
};

export default proposalsRoutes;
