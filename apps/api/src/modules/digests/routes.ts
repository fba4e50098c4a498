import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { UNDO_HOURS, UNSUBSCRIBE_KINDS, UNSUBSCRIBE_LINK_DAYS } from './service.ts';

const Params = Type.Object({ token: Type.String({ pattern: '^[a-z2-7]{32}$' }) });
const Query = Type.Object({
  kind: Type.Optional(
    Type.Enum(UNSUBSCRIBE_KINDS, { description: "the link's own kind (another one is refused); none means its own" }),
  ),
});
const Done = Type.Object({ kind: Type.Enum(UNSUBSCRIBE_KINDS), subscribed: Type.Boolean() });

const digestsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { digests } = fastify;

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
        summary: 'One-click unsubscribe (RFC 8058) from the digest (`kind=digest`) or one kind of email',
        description:
          'The link of every digest, notification and event email (a new one per email, valid ' +
          `${UNSUBSCRIBE_LINK_DAYS} days; only its SHA-256 is stored; the links die when the member's address ` +
          'changes). Needs no sign-in. It only turns email off: the digest to `off`, a kind sent by email to ' +
          '`in_app`; what is in the app or off stays. 404 for an unknown, expired or other-kind link.',
        params: Params,
        querystring: Query,
        response: { 200: Done, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { kind } = await digests.unsubscribe(request.params.token, request.query.kind);
      return { kind, subscribed: false };
    },
  );

  fastify.delete(
    '/api/v1/unsubscribe/:token',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Undo an unsubscribe (from the unsubscribe page)',
        description:
          `Puts back exactly what the link's last use turned off, within ${UNDO_HOURS} hours, once, and only ` +
          'where the member has not changed it since (`subscribed` says whether anything was put back). It never ' +
          'turns on what the link did not turn off. 409 when there is nothing to undo.',
        params: Params,
        querystring: Query,
        response: { 200: Done, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => digests.resubscribe(request.params.token, request.query.kind),
  );

  // Expired links are refused when used; this sweep keeps the table small.
  const sweep = setInterval(
    () => void digests.sweep().catch((error: unknown) => fastify.log.warn({ err: error }, 'unsubscribe sweep failed')),
    60 * 60 * 1000,
  );
  sweep.unref();
  fastify.addHook('onClose', async () => clearInterval(sweep));
};

export default digestsRoutes;
