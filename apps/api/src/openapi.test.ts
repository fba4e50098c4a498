/**
 * The OpenAPI document says what the server does: a tour of the API (every operation, its usual
 * answers and its error paths) goes through a validator that holds each real response to the
 * published document, as a validating proxy would (testing-openapi.ts). A new endpoint or status
 * is one more row in TOUR (testing-openapi-tour.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ErrorCodes } from '@opsi/contracts/common';
import { createTestApp, GOOD_PASSWORD, nextAddress, sessionCookie, signUp, signUpAs, uniqueSlug } from './testing.ts';
import { responseValidator, type OpenApiDocument } from './testing-openapi.ts';
import { RATE_LIMIT, TOUR, type Tour } from './testing-openapi-tour.ts';

let app: FastifyInstance;
let tour: Tour;
let validator: ReturnType<typeof responseValidator>;

beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
  // Every route's schemas compile (they are compiled on first use, or by this as after a start).
  await app.warmSchemas();
  const [member, organiser, other, moderator, admin, suspendable] = await Promise.all([
    signUp(app),
    signUpAs(app, 'organiser'),
    signUp(app),
    signUpAs(app, 'moderator'),
    signUpAs(app, 'admin'),
    signUp(app),
  ]);
  const second = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextAddress(),
    payload: { email: `${member.handle}@example.org`, password: GOOD_PASSWORD },
  });
  const sessions = await app.inject({ url: '/api/v1/me/sessions', headers: { cookie: sessionCookie(second) } });
  const secondSession = sessions.json<{ items: { id: string; current: boolean }[] }>().items.find((s) => s.current)!.id;
  tour = {
    member,
    organiser,
    other,
    moderator,
    admin,
    suspendable,
    secondSession,
    caseSlug: uniqueSlug('tour-case'),
    postId: '',
    eventSlug: uniqueSlug('tour-event'),
    calendarPath: '',
    revisionId: '',
    unsubscribeToken: await unsubscribeToken(member.user.id),
  };
  validator = responseValidator((await app.inject('/api/docs/json')).json<OpenApiDocument>());
});
afterAll(async () => {
  await app.close();
});

/** The token of the unsubscribe link a digest email to this member would carry. */
async function unsubscribeToken(userId: string): Promise<string> {
  const { page } = await app.digests.unsubscribeHeaders(userId, 'digest', 'en');
  return /\/unsubscribe\/([a-z2-7]{32})\?/.exec(page)![1]!;
}

interface DocumentedOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { minLength?: number }> } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  components: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
  paths: Record<string, Record<string, DocumentedOperation>>;
}

describe('the OpenAPI document', () => {
  let doc: Document;
  let operations: [string, DocumentedOperation][];
  beforeAll(async () => {
    doc = (await app.inject('/api/docs/json')).json<Document>();
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, DocumentedOperation] => [
        `${method.toUpperCase()} ${path}`,
        op,
      ]),
    );
  });

  it('names every operation once, in camelCase', () => {
    const ids = operations.map(([, op]) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/events/{slug}/attendees.csv']?.get?.operationId).toBe('getEventsBySlugAttendeesCsv');
  });

  it('says which operations need the session cookie, which use it when present, and which never do', () => {
    expect(doc.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'session' }),
    });
    const security = (key: string) => operations.find(([k]) => k === key)?.[1].security;
    expect(operations.filter(([, op]) => !Array.isArray(op.security)).map(([k]) => k)).toEqual([]);
    expect(security('GET /api/v1/me')).toEqual([{ session: [] }]);
    expect(security('POST /api/v1/cases/{slug}/posts')).toEqual([{ session: [] }]);
    expect(security('GET /api/v1/events/{slug}')).toEqual([{}, { session: [] }]);
    expect(security('GET /api/v1/cases/{slug}/posts')).toEqual([{}, { session: [] }]);
    expect(security('POST /api/v1/auth/login')).toEqual([]);
    expect(security('POST /api/v1/unsubscribe/{token}')).toEqual([]);
    expect(security('GET /api/v1/calendar/{token}.ics')).toEqual([]);
  });

  it('lists every error code the server sends, once, and the limits of bodies', () => {
    const errorSchema = doc.components.schemas?.ErrorBody as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(errorSchema.properties.error.properties.code.enum).toEqual([...ErrorCodes]);
    // Every error response (4xx, 5xx) refers to that one schema instead of repeating it.
    const errors = operations.flatMap(([key, op]) =>
      Object.entries(op.responses)
        .filter(([status]) => /^[45]/.test(status))
        .map(([status, response]) => [`${key} ${status}`, response.content?.['application/json']?.schema] as const),
    );
    expect(errors.length).toBeGreaterThan(operations.length);
    expect(
      errors.filter(([, schema]) => JSON.stringify(schema) !== '{"$ref":"#/components/schemas/ErrorBody"}'),
    ).toEqual([]);
    expect(ErrorCodes).toContain('invalid_json');
    for (const [key, op] of operations) {
      if (!/^(?:POST|PUT|PATCH|DELETE) /.test(key)) continue;
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['400', '413', '415', '429', '500']));
    }
    const postBody = (path: string, method: string) =>
      doc.paths[path]![method]!.requestBody!.content['application/json']!.schema.properties!.body!;
    expect(postBody('/api/v1/cases/{slug}/posts', 'post').minLength).toBe(1);
    expect(postBody('/api/v1/posts/{id}', 'patch').minLength).toBe(1);
  });
});

describe('the OpenAPI document against real responses', () => {
  it('documents every response of the tour: status, media type and body', async () => {
    const problems: string[] = [];
    for (const step of TOUR) {
      const { as, ...request } = step.send(tour);
      const options: InjectOptions = {
        remoteAddress: nextAddress(),
        ...request,
        headers: { ...(as ? { cookie: as.cookie } : {}), ...request.headers },
      };
      const res = await app.inject(options);
      const method = options.method ?? 'GET';
      const url = String(options.url);
      if (res.statusCode !== step.status) {
        problems.push(
          `${method} ${url.slice(0, 120)}: expected ${step.status}, got ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      }
      problems.push(...validator.check(method, url, res));
      if (step.keep && res.statusCode === step.status) step.keep(res.json(), tour);
    }
    expect(problems).toEqual([]);
  });

  it('takes every documented operation on the tour', () => {
    const missing = validator.operations().filter((operation) => !validator.visited().has(operation));
    expect(missing, 'operations the tour never called: add a row to TOUR').toEqual([]);
  });
});
