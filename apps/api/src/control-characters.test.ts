/**
 * NUL and the other C0 control characters (but tab, CR and LF) are refused wherever text enters the
 * API: a 400 `validation_failed` naming the field, never a 500 from PostgreSQL. Sign-up cleans a
 * display name exactly as the profile form does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import { createTestApp, GOOD_PASSWORD, nextAddress, signUp, signUpAs, uniqueSlug, type Member } from './testing.ts';

let app: FastifyInstance;
let member: Member;
let organiser: Member;
let event: EventDetail;

const DAY = 24 * 60 * 60 * 1000;
const NUL = 'a\u0000b';

function eventBody(overrides: Record<string, unknown> = {}) {
  const starts = new Date(Date.now() + 10 * DAY);
  return {
    title: 'Control characters workshop',
    slug: uniqueSlug('ctl'),
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'in_person',
    venue: 'OECD Conference Centre',
    ...overrides,
  };
}

beforeAll(async () => {
  app = await createTestApp();
  [member, organiser] = await Promise.all([signUp(app), signUpAs(app, 'organiser')]);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { cookie: organiser.cookie },
    payload: eventBody(),
  });
  expect(res.statusCode, res.body).toBe(201);
  event = res.json<EventDetail>();
});
afterAll(async () => {
  await app.close();
});

function expectRefused(res: { statusCode: number; body: string }, field: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
  const error = JSON.parse(res.body) as { error: { code: string; details?: { field: string; message: string }[] } };
  expect(error.error.code, what).toBe('validation_failed');
  expect(
    error.error.details?.map((d) => d.field),
    what,
  ).toContain(field);
}

describe('NUL in the fields the review found', () => {
  const handle = () => uniqueSlug('nul');
  const cases: [string, string, () => InjectOptions][] = [
    [
      'sign-up name',
      'displayName',
      () => {
        const h = handle();
        return {
          method: 'POST',
          url: '/api/v1/auth/signup',
          payload: { email: `${h}@example.org`, password: GOOD_PASSWORD, displayName: NUL, handle: h },
        };
      },
    ],
    [
      'sign-up email',
      'email',
      () => {
        const h = handle();
        return {
          method: 'POST',
          url: '/api/v1/auth/signup',
          payload: { email: `${h}\u0000@example.org`, password: GOOD_PASSWORD, displayName: 'Nul', handle: h },
        };
      },
    ],
    [
      'login email',
      'email',
      () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { email: NUL, password: GOOD_PASSWORD } }),
    ],
    [
      'login password',
      'password',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `${member.handle}@example.org`, password: `${GOOD_PASSWORD}\u0000` },
      }),
    ],
    [
      'reset email',
      'email',
      () => ({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: `x\u0000@example.org` } }),
    ],
    ['reset token', 'token', () => ({ url: `/api/v1/auth/password-reset/${encodeURIComponent('abc\u0000def')}` })],
    [
      'event title',
      'title',
      () => ({
        method: 'POST',
        url: '/api/v1/events',
        headers: { cookie: organiser.cookie },
        payload: eventBody({ title: NUL }),
      }),
    ],
    [
      'event venue',
      'venue',
      () => ({
        method: 'POST',
        url: '/api/v1/events',
        headers: { cookie: organiser.cookie },
        payload: eventBody({ venue: NUL }),
      }),
    ],
    [
      'event venue (edit)',
      'venue',
      () => ({
        method: 'PATCH',
        url: `/api/v1/events/${event.slug}`,
        headers: { cookie: organiser.cookie },
        payload: { venue: NUL },
      }),
    ],
    [
      'message subject',
      'subject',
      () => ({
        method: 'POST',
        url: `/api/v1/events/${event.slug}/messages`,
        headers: { cookie: organiser.cookie },
        payload: { subject: NUL, body: 'Hello' },
      }),
    ],
    [
      'post clientId',
      'clientId',
      () => ({
        method: 'POST',
        url: '/api/v1/cases/my-france-2022/posts',
        headers: { cookie: member.cookie },
        payload: { body: 'Hello', clientId: NUL },
      }),
    ],
    [
      'email change',
      'email',
      () => ({
        method: 'POST',
        url: '/api/v1/me/email',
        headers: { cookie: member.cookie },
        payload: { email: `x\u0000@example.org`, currentPassword: GOOD_PASSWORD },
      }),
    ],
    ['search query', 'q', () => ({ url: `/api/v1/people?q=${encodeURIComponent(NUL)}` })],
    ['a path parameter', 'handle', () => ({ url: `/api/v1/people/${encodeURIComponent(NUL)}` })],
  ];

  for (const [what, field, request] of cases) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      expectRefused(await app.inject({ remoteAddress: nextAddress(), ...request() }), field, what);
    });
  }

  it('refuses the other C0 controls too, in a nested field, and keeps tab, CR and LF for multi-line text', async () => {
    for (const control of ['\u0001', '\u0008', '\u000b', '\u001b', '\u001f']) {
      const res = await app.inject({
        method: 'PATCH',
        url: '/api/v1/me/profile',
        headers: { cookie: member.cookie },
        payload: { links: ['https://example.org', `https://example.org/${control}`] },
      });
      expectRefused(res, 'links.1', JSON.stringify(control));
      const headline = await app.inject({
        method: 'PATCH',
        url: '/api/v1/me/profile',
        headers: { cookie: member.cookie },
        payload: { headline: `Policy${control}lab` },
      });
      expectRefused(headline, 'headline', JSON.stringify(control));
    }
    const bio = await app.inject({
      method: 'PATCH',
      url: '/api/v1/me/profile',
      headers: { cookie: member.cookie },
      payload: { bio: 'First line\r\n\tindented\nlast' },
    });
    expect(bio.statusCode, bio.body).toBe(200);
    expect(bio.json<{ bio: string }>().bio).toBe('First line\n\tindented\nlast');
  });
});

describe('every route, every string field', () => {
  interface Operation {
    parameters?: { in: string; name: string; schema?: { type?: string } }[];
    requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  }

  it('answers 400 naming the field, never a 5xx, for NUL in any body field, query or path parameter', async () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, Operation>> };
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = (operation.parameters ?? []).filter((p) => p.in === 'path');
        const fill = (except?: string) =>
          params.reduce(
            (url, p) => url.replace(`{${p.name}}`, p.name === except ? encodeURIComponent(NUL) : 'x1'),
            path,
          );
        const send = (options: InjectOptions) =>
          app.inject({
            method: method.toUpperCase() as InjectOptions['method'],
            remoteAddress: nextAddress(),
            headers: { cookie: member.cookie },
            ...options,
          });
        const where = `${method.toUpperCase()} ${path}`;
        for (const p of params) {
          expectRefused(await send({ url: fill(p.name) }), p.name, `${where} path ${p.name}`);
          checked += 1;
        }
        for (const p of (operation.parameters ?? []).filter((q) => q.in === 'query')) {
          const res = await send({ url: `${fill()}?${p.name}=${encodeURIComponent(NUL)}` });
          expectRefused(res, p.name, `${where} query ${p.name}`);
          checked += 1;
        }
        const body = operation.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        for (const name of Object.keys(body)) {
          const res = await send({ url: fill(), payload: { [name]: NUL } });
          expectRefused(res, name, `${where} body ${name}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe('sign-up names are cleaned as the profile form cleans them', () => {
  async function signup(displayName: string) {
    const h = uniqueSlug('name');
    return app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: `${h}@example.org`, password: GOOD_PASSWORD, displayName, handle: h },
    });
  }

  it('refuses a name of zero-width characters only', async () => {
    for (const name of ['\u200b\u200b', ' \u200b\u00a0 ', '\u2060\ufeff']) {
      const res = await signup(name);
      expect(res.statusCode, JSON.stringify(name)).toBe(422);
      expect(res.json().error.details).toEqual([{ field: 'displayName', code: 'blank', message: expect.any(String) }]);
    }
  });

  it('stores a name with CR/LF on one line, as the profile form would', async () => {
    const res = await signup('Ada\r\nLovelace');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().user.displayName).toBe('Ada Lovelace');
    const tabbed = await signup('\tGrace\tHopper ');
    expect(tabbed.json().user.displayName).toBe('Grace Hopper');
  });
});
