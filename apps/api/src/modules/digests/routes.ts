import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { createDigestsService, UNSUBSCRIBE_KINDS } from './service.ts';

const Params = Type.Object({ token: Type.String({ pattern: '^[a-z2-7]{32}$' }) });
const Query = Type.Object({ kind: Type.Optional(Type.Enum(UNSUBSCRIBE_KINDS, { default: 'digest' })) });
const Done = Type.Object({ kind: Type.Enum(UNSUBSCRIBE_KINDS), subscribed: Type.Boolean() });

const digestsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const digests = createDigestsService(fastify.database, fastify.config.publicOrigin);

  // Mail clients send the one-click POST form-encoded (RFC 8058); nothing else here needs a body.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  fastify.post(
    '/api/v1/unsubscribe/:token',
    {
      // Authenticated by the token in the link, never by a cookie: mail clients post it cross-site.
      config: { csrf: false },
      schema: {
        tags: ['notifications'],
        summary: 'One-click unsubscribe (RFC 8058) from the digest (`kind=digest`), one kind of email, or all',
        description: 'The link of every digest and notification email. Needs no sign-in.',
        params: Params,
        querystring: Query,
        response: { 200: Done, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { kind } = await digests.unsubscribe(request.params.token, request.query.kind ?? 'digest');
      return { kind, subscribed: false };
    },
  );

  fastify.delete(
    '/api/v1/unsubscribe/:token',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Undo an unsubscribe (from the unsubscribe page)',
        params: Params,
        querystring: Query,
        response: { 200: Done, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { kind } = await digests.resubscribe(request.params.token, request.query.kind ?? 'digest');
      return { kind, subscribed: true };
    },
  );
};

export default digestsRoutes;
