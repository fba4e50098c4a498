/**
 * OpenAPI 3 generated from the routes' TypeBox schemas, at /api/docs/json, with a browsable UI at
 * /api/docs. What every route shares is documented here, once, from what the server really does:
 * who may call it (the session cookie: required, optional or not needed), the answers the plugins
 * give before a handler runs (400 for a malformed body, 403 for a cross-site write, 413, 415, 429
 * past a rate limit, 500) and a stable operationId from the method and path. Routes declare only
 * what is their own; `npm run lint:openapi` holds the result to Redocly's recommended rules and
 * `openapi.test.ts` checks real responses against it. The one error shape (`ErrorBody`) is written
 * once, as a component every error response refers to, not repeated in every operation.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorBody } from '@opsi/contracts/common';
import type { Config } from '../config.ts';

export type Auth = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Who may call the route, as the OpenAPI document says: `required` (a signed-in member),
     * `optional` (anyone; a signed-in caller gets more) or `none` (the session is not used). By
     * default a route that documents a 401 needs a session, except under /api/v1/auth/, where a
     * 401 means wrong credentials; any other route needs none.
     */
    auth?: Auth;
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The name of the shared error schema: `#/components/schemas/ErrorBody` in the document. */
const ERROR_BODY_ID = 'ErrorBody';

/** An error response as documented: a reference to the one error schema, with its own description. */
function errorResponse(description: string, extra: Record<string, unknown> = {}) {
  return { $ref: `${ERROR_BODY_ID}#`, description, ...extra };
}

/** The answers the server's plugins give on a route, whatever its handler does. */
const SHARED = {
  400: errorResponse(
    'Invalid request: `validation_failed` with the fields named in `details`, or `invalid_json` for a body that is not JSON',
  ),
  401: errorResponse('Not signed in (`unauthorized`)'),
  403: errorResponse('Cross-site request refused (`csrf_rejected`), or not allowed (`forbidden`)'),
  413: errorResponse('Body over 1 MiB (`payload_too_large`)'),
  415: errorResponse('Body in a media type this route does not read (`unsupported_media_type`)'),
  429: errorResponse('Too many requests (`rate_limited`): try again after `Retry-After` seconds', {
    headers: { 'retry-after': { type: 'integer', minimum: 0, description: 'seconds to wait' } },
  }),
  500: errorResponse('Something went wrong on our side (`internal_error`); the message quotes the request id'),
} as const;

/** Who may call a route (see `auth` in the route config). */
export function routeAuth(route: Pick<RouteOptions, 'url' | 'config'>, responses: Record<string, unknown>): Auth {
  const declared = (route.config as { auth?: Auth } | undefined)?.auth;
  if (declared) return declared;
  if (route.url.startsWith('/api/v1/auth/')) return 'none';
  return '401' in responses ? 'required' : 'none';
}

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  required: [{ session: [] }],
  optional: [{}, { session: [] }],
  none: [],
};

/** The route's schema as documented: its security and every status the server can answer. */
export function documentedSchema(schema: FastifySchema | undefined, route: RouteOptions): FastifySchema {
  const own = Object.fromEntries(
    Object.entries((schema?.response as Record<string, unknown> | undefined) ?? {}).map(([status, value]) => [
      status,
      // Routes declare the error shape itself (it serialises their answers); the document refers to it.
      value === ErrorBody ? errorResponse(String(Reflect.get(ErrorBody, 'description'))) : value,
    ]),
  );
  const methods = [route.method].flat().map((m) => m.toUpperCase());
  const config = (route.config ?? {}) as { rateLimit?: unknown; csrf?: boolean };
  const auth = routeAuth(route, own);
  const response: Record<string, unknown> = { ...own };
  const add = (status: keyof typeof SHARED) => {
    response[status] ??= SHARED[status];
  };
  const bodyAccepted = methods.some((m) => BODY_METHODS.has(m));
  if (bodyAccepted || schema?.params || schema?.querystring || schema?.body) add(400);
  if (auth === 'required') add(401);
  if (bodyAccepted && config.csrf !== false) add(403);
  if (bodyAccepted) {
    add(413);
    add(415);
  }
  if (config.rateLimit !== false) add(429);
  add(500);
  return { ...schema, response, security: SECURITY[auth] } as FastifySchema;
}

/** `getEventsBySlugAttendeesCsv` from GET /api/v1/events/{slug}/attendees.csv. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .replace(/^\/api(?:\/v1)?(?=\/)/, '')
    .split('/')
    .flatMap((segment) =>
      [...segment.matchAll(/\{([^{}]+)\}|([A-Z\d]+)/gi)].map(([, param, word]) =>
        param ? `by-${param}` : (word ?? ''),
      ),
    )
    .flatMap((word) => word.split('-'))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Gives every operation without one its derived operationId; two operations never share one. */
export function withOperationIds<T extends { paths?: Record<string, Record<string, unknown> | undefined> }>(
  document: T,
): T {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of OPERATION_METHODS) {
      const operation = item?.[method] as { operationId?: string } | undefined;
      if (!operation) continue;
      operation.operationId ??= operationIdFor(method, path);
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(operation.operationId);
      if (other) throw new Error(`operationId ${operation.operationId} of ${where} is already ${other}'s`);
      seen.set(operation.operationId, where);
    }
  }
  return document;
}

async function openapiPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const secure = config.publicOrigin.startsWith('https:');
  // The one error shape, shared: the document lists it once under components.schemas.
  fastify.addSchema({ ...ErrorBody, $id: ERROR_BODY_ID });
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Public Sector Innovators Network API',
        description:
          'The public API of the community network for public-sector innovators: cases, discussions, events, ' +
          'follows. Errors are `{error:{code,message,details?}}`; lists are `{items,nextCursor}`. Signed-in calls ' +
          'carry the session cookie; state-changing calls from a browser must come from the site itself.',
        version: '1.0.0',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      },
      servers: [{ url: config.publicOrigin }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            // The cookie's real name here: `__Host-session` when the site is served over https.
            name: secure ? '__Host-session' : 'session',
            description: 'The session cookie set by sign-up and sign-in (HttpOnly, SameSite=Lax).',
          },
        },
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'reference', description: 'Countries and themes' },
        { name: 'accounts', description: 'Sign-up, sign-in, sessions, passwords' },
        { name: 'privacy', description: 'Your data: download it, or delete your account' },
        { name: 'profiles', description: 'Profiles and the member directory' },
        { name: 'cases', description: 'Innovation case studies' },
        { name: 'discussions', description: 'One live thread per case; search across cases and posts' },
        { name: 'follows', description: 'Follow countries, themes, cases, events and people; your feed' },
        { name: 'notifications', description: 'Your notifications and how you want them' },
        { name: 'events', description: 'Events, RSVPs with capacity and a waitlist, tickets, check-in, calendars' },
        { name: 'live', description: 'The live layer of an event: Q&A with votes, and polls' },
        { name: 'moderation', description: 'Reports, the moderation queue, suspensions and the moderation log' },
        { name: 'admin', description: 'Members and their roles, for admins' },
        { name: 'transparency', description: 'Public counts of reports and moderation actions, per month' },
      ],
    },
    hideUntagged: true,
    // Shared schemas are named by their $id in components.schemas (not def-0, def-1, …).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => ({ schema: documentedSchema(schema, route), url }),
    transformObject: (document) => withOperationIds('openapiObject' in document ? document.openapiObject : {}),
  });
  await fastify.register(swaggerUi, {
    routePrefix: '/api/docs',
    // The API's own Content-Security-Policy (security.ts) applies: swagger-ui's static one would
    // tell a plain-http origin to upgrade its requests. The base layout has no top bar, whose
    // logo carries an inline <style> that policy refuses.
    staticCSP: false,
    uiConfig: { deepLinking: true, tryItOutEnabled: false, layout: 'BaseLayout', docExpansion: 'none' },
  });
}

export default fp(openapiPlugin, { name: 'openapi' });
