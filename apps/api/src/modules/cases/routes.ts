import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CaseDetail, CaseFacets, CaseList, CaseListQuery, CaseReadQuery, NewCase } from '@opsi/contracts/cases';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import { Proposal } from '@opsi/contracts/proposals';
import { CaseMoved } from '@opsi/contracts/case-authoring';
import { requireUser } from '../../plugins/session.ts';
import { announceProposal } from '../proposals/live.ts';
import authoringRoutes from './authoring/routes.ts';
import liveEditors from './authoring/live.ts';
import { CacheTags, caseListTags, facetTags } from '../../platform/cache-tags.ts';

const FacetQuery = Type.Omit(CaseListQuery, ['cursor', 'limit', 'sort', 'lang']);

const casesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { cases } = fastify;

  fastify.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'List and search innovation cases',
        description:
          'Full-text search (`q`, web-search syntax: quotes, OR, -exclusion) and filters. `q` is stemmed in English and in French and matches a case’s own text (stemmed in its language), its translations and its posts. With `lang`, cases translated into that language list the translation’s title and summary (`textLanguage` says which language they are in). With `q` and no `sort`, the best matches come first. `q` finds a case through its live posts too, never through a deleted or hidden one; `postCount` counts the posts everyone sees (not those deleted or hidden by a moderator); `lastActivityAt` is when the last post was written (a delete or a hide does not move it back).',
        querystring: CaseListQuery,
        response: { 200: CaseList, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      fastify.publicCache.send(
        reply,
        `cases:list:${JSON.stringify(request.query)}`,
        () => cases.list(request.query),
        caseListTags(request.query),
      ),
  );

  fastify.get(
    '/api/v1/cases/facets',
    {
      schema: {
        tags: ['cases'],
        summary: 'Counts of matching cases per country, theme, year and stage',
        querystring: FacetQuery,
        response: { 200: CaseFacets, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      fastify.publicCache.send(
        reply,
        `cases:facets:${JSON.stringify(request.query)}`,
        () => cases.facets(request.query),
        facetTags(request.query),
      ),
  );

  fastify.get(
    '/api/v1/cases/:slug',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case',
        description:
          'With `lang`, a case translated into that language comes with the translation’s title, summary and body (`textLanguage`, `bodyLanguage` say which language each is in); `translations` lists the languages it has.',
        params: Type.Object({ slug: Slug }),
        querystring: CaseReadQuery,
        response: { 200: CaseDetail, 301: CaseMoved, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) =>
      fastify.publicCache.send(
        reply,
        `cases:one:${request.params.slug}:${request.query.lang ?? ''}`,
        () => cases.get(request.params.slug, request.query.lang),
        [CacheTags.case(request.params.slug), CacheTags.allCases],
      ),
  );

  fastify.post(
    '/api/v1/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Add a case (organisers, moderators and admins: 201) or propose one (members: 202)',
        description:
          'A member’s case is a proposal: 202 with it (`status: "pending"`, its slug, free among cases and proposals), public only once a moderator approves it (GET /api/v1/moderation/cases). `sourceId` is for imports and is not kept in a proposal. Per member: at most PROPOSALS_PER_DAY proposals a day (429 `rate_limited`, `limit` = `proposals_per_day`).',
        body: NewCase,
        response: {
          201: CaseDetail,
          202: Proposal,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (user.role === 'member') {
        const { proposal, event } = await fastify.proposals.propose(user, request.body);
        announceProposal(fastify, event);
        return reply.status(202).send(proposal);
      }
      const created = await cases.create(user, request.body);
      // Read the outbox now: this node's public cache is emptied before the client reads again.
      await fastify.activities.poke();
      return reply.status(201).send(created);
    },
  );

  await fastify.register(authoringRoutes);
  await fastify.register(liveEditors);
};

export default casesRoutes;
