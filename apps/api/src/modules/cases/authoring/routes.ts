/** Editing cases (PATCH), their revisions, and the markdown preview of the editor (API.md "Case library"). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CaseEdit,
  CaseMoved,
  CaseRevision,
  CaseRevisionList,
  CaseRevisionQuery,
  MarkdownPreview,
  MarkdownPreviewBody,
} from '@opsi/contracts/case-authoring';
import { CaseDetail } from '@opsi/contracts/cases';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import { renderMarkdown } from '../../../platform/markdown.ts';
import { requireUser } from '../../../plugins/session.ts';

const authoringRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { caseAuthoring } = fastify;

  fastify.patch(
    '/api/v1/cases/:slug',
    {
      schema: {
        tags: ['cases'],
        summary: 'Edit a case (organisers, moderators and admins)',
        description:
          'Send the fields that change and `version`, the version the edit started from. A stale version answers 409 `conflict` with one detail `{field: "version", code: "stale_version", current: CaseDetail}` (the case as it is now). A new `slug` renames the case (its old slug answers 301); a slug another case has or had answers 409 naming `slug`. An edit that changes nothing makes no revision.',
        params: Type.Object({ slug: Slug }),
        body: CaseEdit,
        response: {
          200: CaseDetail,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request) => {
      const updated = await caseAuthoring.update(request.user ?? null, request.params.slug, request.body);
      // Read the outbox now: this node's public cache is emptied before the client reads again.
      await fastify.activities.poke();
      return updated;
    },
  );

  fastify.get(
    '/api/v1/cases/:slug/revisions',
    {
      schema: {
        tags: ['cases'],
        summary: "A case's revisions, newest first",
        params: Type.Object({ slug: Slug }),
        querystring: CaseRevisionQuery,
        response: { 200: CaseRevisionList, 301: CaseMoved, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => caseAuthoring.revisions(request.params.slug, request.query),
  );

  fastify.get(
    '/api/v1/cases/:slug/revisions/:version',
    {
      schema: {
        tags: ['cases'],
        summary: 'One revision of a case',
        params: Type.Object({ slug: Slug, version: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: CaseRevision, 301: CaseMoved, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => caseAuthoring.revision(request.params.slug, request.params.version),
  );

  fastify.post(
    '/api/v1/markdown/preview',
    {
      schema: {
        tags: ['cases'],
        summary: 'Render markdown as the server stores it (the editors\u2019 live preview; signed in)',
        body: MarkdownPreviewBody,
        response: { 200: MarkdownPreview, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      requireUser(request);
      return { html: renderMarkdown(request.body.body) };
    },
  );
};

export default authoringRoutes;
