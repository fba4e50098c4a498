/** The member's language (English or French): every email and notification to them is in it. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { LanguageChoice } from '@opsi/contracts/profiles';
import { requireUser } from '../../../plugins/session.ts';

const languageRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { accounts } = fastify;

  fastify.get(
    '/api/v1/me/language',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The language of your emails and notifications',
        response: { 200: LanguageChoice, 401: ErrorBody },
      },
    },
    async (request) => ({ language: await accounts.language(requireUser(request).id) }),
  );

  fastify.put(
    '/api/v1/me/language',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Choose the language of your emails and notifications (en or fr)',
        description:
          'Every email sent from now on (notifications, digests, event notices, account emails) is in it, with links to pages in it. 400 (field `language`) for another language.',
        body: LanguageChoice,
        response: { 200: LanguageChoice, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => ({ language: await accounts.setLanguage(requireUser(request).id, request.body.language) }),
  );
};

export default languageRoutes;
