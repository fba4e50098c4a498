import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CaseTranslation, CaseTranslationInput, CaseTranslationParams } from '@opsi/contracts/case-translations';
import { ErrorBody } from '@opsi/contracts/common';
import { Type } from 'typebox';
import { requireUser } from '../../../plugins/session.ts';
import { CacheTags } from '../../../platform/cache-tags.ts';

/** The public answers a case's translation shows in (tags, as the invalidation bus's `public` topic takes them). */
const translated = (slug: string) => [CacheTags.case(slug), CacheTags.caseLists, CacheTags.search].join(' ');

const translationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { caseTranslations } = fastify;
  const path = '/api/v1/cases/:slug/translations/:language';

  fastify.get(
    path,
    {
      schema: {
        tags: ['cases'],
        summary: 'A case’s translation into one language',
        description:
          'To show a case in a language, read it with `GET /api/v1/cases/:slug?lang=`; this is the translation alone (to edit it).',
        params: CaseTranslationParams,
        response: { 200: CaseTranslation, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => caseTranslations.get(request.params.slug, request.params.language),
  );

  fastify.put(
    path,
    {
      schema: {
        tags: ['cases'],
        summary: 'Write a case’s translation (organisers, moderators and admins)',
        description:
          'Title, summary and body in another language than the case’s own (`language` of the case: 422 `same_language`). 201 when the case had no translation into it, 200 when it replaces one. Readers get it with `?lang=` on the case and the case list.',
        params: CaseTranslationParams,
        body: CaseTranslationInput,
        response: {
          200: CaseTranslation,
          201: CaseTranslation,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const { translation, created } = await caseTranslations.put(
        user,
        request.params.slug,
        request.params.language,
        request.body,
      );
      // The public reads of cases (lists, the case, search) show translations: a translation
      // publishes no activity, so every node is told on the invalidation bus (this one at once).
      await fastify.invalidations.publish('public', translated(request.params.slug));
      return reply.status(created ? 201 : 200).send(translation);
    },
  );

  fastify.delete(
    path,
    {
      schema: {
        tags: ['cases'],
        summary: 'Delete a case’s translation (organisers, moderators and admins)',
        params: CaseTranslationParams,
        response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await caseTranslations.remove(user, request.params.slug, request.params.language);
      await fastify.invalidations.publish('public', translated(request.params.slug));
      return reply.status(204).send(null);
    },
  );
};

export default translationRoutes;
