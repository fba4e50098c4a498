/**
 * The OpenAPI document says what the server does: a tour of the API (every operation, its usual
 * answers and its error paths) goes through a validator that holds each real response to the
 * published document, as a validating proxy would (testing-openapi.ts). A new endpoint or status
 * is one more row in TOUR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ErrorCodes } from '@opsi/contracts/common';
import { emailToken } from './modules/digests/repository.ts';
import { newSessionToken } from './plugins/session.ts';
import { createTestApp, GOOD_PASSWORD, nextAddress, sessionCookie, signUp, signUpAs, uniqueSlug } from './testing.ts';
import { responseValidator, type OpenApiDocument } from './testing-openapi.ts';

type Member = Awaited<ReturnType<typeof signUp>>;

/** What the tour knows: its people, and what earlier steps made. */
interface Tour {
  member: Member;
  organiser: Member;
  other: Member;
  /** A second session of `member`, revoked along the way. */
  secondSession: string;
  caseSlug: string;
  postId: string;
  eventSlug: string;
  calendarPath: string;
  unsubscribeToken: string;
}

interface Step {
  /** What to send (`as`: whose session cookie goes with it). */
  send: (t: Tour) => InjectOptions & { as?: Member | undefined };
  /** The status this step is about (the document must list it too). */
  status: number;
  /** Keeps what later steps need. */
  keep?: (body: unknown, t: Tour) => void;
}

const DAY = 24 * 60 * 60 * 1000;
const RATE_LIMIT = 20;
const json = { 'content-type': 'application/json' };

function eventBody(slug: string) {
  const starts = new Date(Date.now() + 20 * DAY);
  return {
    slug,
    title: 'Open data clinic',
    description: 'Bring a dataset.',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'hybrid',
    venue: 'Town hall',
    onlineUrl: 'https://meet.example.org/clinic',
    capacity: 10,
    countries: ['FR'],
    themes: ['digital-government'],
  };
}

/** The tour, in order: each step may use what the previous ones kept. */
const TOUR: Step[] = [
  // Health and reference data
  { send: () => ({ url: '/api/health' }), status: 200 },
  { send: () => ({ url: '/api/ready' }), status: 200 },
  { send: () => ({ url: '/api/v1/countries' }), status: 200 },
  { send: () => ({ url: '/api/v1/themes' }), status: 200 },

  // Accounts
  {
    send: () => {
      const handle = uniqueSlug('tourist');
      return {
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextAddress(),
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD, displayName: 'Tourist', handle },
      };
    },
    status: 201,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: {
        email: `x${t.member.handle}@example.org`,
        password: GOOD_PASSWORD,
        displayName: 'Twin',
        handle: t.member.handle,
      },
    }),
    status: 409,
  },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: 'not-an-email', password: 'short', displayName: '', handle: 'X' },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${t.member.handle}@example.org`, password: GOOD_PASSWORD },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${t.member.handle}@example.org`, password: 'not the password at all' },
    }),
    status: 401,
  },
  { send: () => ({ url: '/api/v1/me' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/me', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/sessions', as: t.member }), status: 200 },
  {
    send: (t) => ({ method: 'DELETE', url: `/api/v1/me/sessions/${'0'.repeat(16)}`, as: t.member }),
    status: 404,
  },
  {
    send: (t) => ({ method: 'DELETE', url: `/api/v1/me/sessions/${t.secondSession}`, as: t.member }),
    status: 204,
  },
  {
    send: () => ({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'nobody@example.org' } }),
    status: 202,
  },
  { send: () => ({ url: `/api/v1/auth/password-reset/${'a'.repeat(40)}` }), status: 200 },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: 'a'.repeat(40), newPassword: 'a brand new passphrase 2026' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      as: t.other,
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'another long passphrase 77' },
    }),
    status: 204,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      as: t.other,
      payload: { currentPassword: 'wrong wrong wrong', newPassword: 'another long passphrase 78' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/email',
      as: t.other,
      payload: { email: `new-${t.other.handle}@example.org`, currentPassword: 'another long passphrase 77' },
    }),
    status: 204,
  },

  // Profiles
  { send: () => ({ url: '/api/v1/people?limit=5' }), status: 200 },
  { send: (t) => ({ url: `/api/v1/people/${t.member.handle}` }), status: 200 },
  { send: () => ({ url: '/api/v1/people/no-such-person-here' }), status: 404 },
  {
    send: (t) => ({
      method: 'PATCH',
      url: '/api/v1/me/profile',
      as: t.member,
      payload: { headline: 'Public servant', countryCode: 'FR', themes: ['digital-government'] },
    }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'PATCH', url: '/api/v1/me/profile', as: t.member, payload: { countryCode: 'ZZ' } }),
    status: 422,
  },

  // Cases
  { send: () => ({ url: '/api/v1/cases?limit=3' }), status: 200 },
  { send: () => ({ url: '/api/v1/cases?limit=0' }), status: 400 },
  { send: () => ({ url: '/api/v1/cases/facets' }), status: 200 },
  { send: () => ({ url: '/api/v1/cases/my-france-2022' }), status: 200 },
  { send: () => ({ url: '/api/v1/cases/no-such-case' }), status: 404 },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/cases',
      as: t.organiser,
      payload: {
        slug: t.caseSlug,
        title: 'A case for the tour',
        summary: 'A case made by the OpenAPI tour.',
        countries: ['FR'],
        themes: ['digital-government'],
        year: 2026,
        organisation: 'Tour organisation',
        levelOfGovernment: 'national',
        stage: 'pilot',
      },
    }),
    status: 201,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/cases',
      as: t.member,
      payload: {
        title: 'Not allowed',
        summary: 'Members cannot add cases here.',
        countries: ['FR'],
        themes: ['digital-government'],
        year: 2026,
        organisation: 'Nobody',
        levelOfGovernment: 'national',
        stage: 'pilot',
      },
    }),
    status: 403,
  },

  // Discussions
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}/posts` }), status: 200 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      payload: { body: `Hello @${t.other.handle}, **welcome**`, clientId: 'tour-1' },
    }),
    status: 201,
    keep: (body, t) => {
      t.postId = (body as { id: string }).id;
    },
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      payload: { body: `Hello @${t.other.handle}, **welcome**`, clientId: 'tour-1' },
    }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/cases/${t.caseSlug}/posts`, payload: { body: 'anonymous' } }),
    status: 401,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/cases/${t.caseSlug}/posts`, as: t.member, payload: { body: '' } }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      headers: json,
      payload: '{"body": "unfinished',
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      headers: { 'content-type': 'application/xml' },
      payload: '<post/>',
    }),
    status: 415,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      payload: { body: 'x'.repeat(1024 * 1024 + 10) },
    }),
    status: 413,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { body: 'from another site' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/cases/${t.caseSlug}/posts`,
      as: t.member,
      payload: { body: 'a reply to nothing', parentId: '999999999' },
    }),
    status: 422,
  },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}/posts`, as: t.member }), status: 200 },
  { send: (t) => ({ url: `/api/v1/posts/${t.postId}` }), status: 200 },
  { send: () => ({ url: '/api/v1/posts/999999999' }), status: 404 },
  {
    send: (t) => ({ method: 'PATCH', url: `/api/v1/posts/${t.postId}`, as: t.member, payload: { body: 'Edited' } }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'PATCH', url: `/api/v1/posts/${t.postId}`, as: t.other, payload: { body: 'Not mine' } }),
    status: 403,
  },
  { send: (t) => ({ url: `/api/v1/posts/${t.postId}/revisions` }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/posts/${t.postId}/reactions/like`, as: t.other }), status: 200 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/posts/${t.postId}/reactions/like`, as: t.other }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/posts/${t.postId}/reactions/love`, as: t.other }), status: 400 },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/posts/preview', as: t.member, payload: { body: '# Title' } }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/cases/${t.caseSlug}/read`,
      as: t.member,
      payload: { lastReadPostId: t.postId },
    }),
    status: 204,
  },
  { send: (t) => ({ url: `/api/v1/me/unread?slugs=${t.caseSlug}`, as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/search?q=digital' }), status: 200 },
  { send: () => ({ url: '/api/v1/search?q=' }), status: 400 },

  // Events
  { send: () => ({ url: '/api/v1/events' }), status: 200 },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/events', as: t.organiser, payload: eventBody(t.eventSlug) }),
    status: 201,
  },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/events', as: t.member, payload: eventBody(uniqueSlug('no')) }),
    status: 403,
  },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}` }), status: 200 },
  { send: () => ({ url: '/api/v1/events/no-such-event' }), status: 404 },
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/events/${t.eventSlug}`,
      as: t.organiser,
      payload: { venue: 'The library' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/events/${t.eventSlug}/rsvp`,
      as: t.member,
      payload: { status: 'going' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/events/${t.eventSlug}/rsvp`,
      as: t.other,
      payload: { status: 'going' },
    }),
    status: 200,
  },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}`, as: t.member }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/attendees` }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/attendees`, as: t.organiser }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/attendees.csv`, as: t.organiser }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/attendees.csv`, as: t.member }), status: 403 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/attendees.csv` }), status: 401 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${t.eventSlug}/checkins`,
      as: t.organiser,
      payload: { handle: t.member.handle },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${t.eventSlug}/checkins`,
      as: t.organiser,
      payload: { handle: t.member.handle, padding: 'x'.repeat(1024 * 1024) },
    }),
    status: 413,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/events/${t.eventSlug}/rsvp`,
      as: t.member,
      headers: { 'content-type': 'application/xml' },
      payload: '<going/>',
    }),
    status: 415,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${t.eventSlug}/messages`,
      as: t.organiser,
      payload: { subject: 'See you soon', body: 'Doors open at nine.' },
    }),
    status: 202,
  },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar.ics` }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar.ics`, as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/events/no-such-event/calendar.ics' }), status: 404 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar-links` }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/calendar-token', as: t.member }), status: 200 },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/me/calendar-token', as: t.member }),
    status: 200,
    keep: (body, t) => {
      t.calendarPath = new URL((body as { url: string }).url).pathname;
    },
  },
  { send: (t) => ({ url: t.calendarPath }), status: 200 },
  { send: (t) => ({ method: 'DELETE', url: '/api/v1/me/calendar-token', as: t.member }), status: 204 },
  { send: (t) => ({ url: t.calendarPath }), status: 404 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/events/${t.eventSlug}/rsvp`, as: t.other }), status: 204 },
  { send: (t) => ({ method: 'POST', url: `/api/v1/events/${t.eventSlug}/cancel`, as: t.organiser }), status: 200 },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/events/${t.eventSlug}/rsvp`,
      as: t.other,
      payload: { status: 'going' },
    }),
    status: 422,
  },

  // Follows, the feed and the hubs' Atom feeds
  { send: () => ({ url: '/api/v1/follows/country/FR' }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: '/api/v1/follows/country/FR', as: t.member }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/follows/person/${t.other.handle}`, as: t.member }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/follows/person/${t.member.handle}`, as: t.member }), status: 422 },
  { send: (t) => ({ method: 'PUT', url: '/api/v1/follows/country/ZZ', as: t.member }), status: 404 },
  { send: (t) => ({ url: '/api/v1/follows/country/FR', as: t.member }), status: 200 },
  { send: (t) => ({ method: 'DELETE', url: '/api/v1/follows/country/FR', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/follows', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/feed', as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/countries/FR/feed.atom' }), status: 200 },
  { send: () => ({ url: '/api/v1/themes/digital-government/feed.atom' }), status: 200 },
  { send: () => ({ url: '/api/v1/themes/no-such-theme/feed.atom' }), status: 404 },

  // Notifications and email preferences
  { send: (t) => ({ url: '/api/v1/me/notifications', as: t.other }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/notifications?unread=true', as: t.other }), status: 200 },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/me/notifications/read', as: t.other, payload: { all: true } }),
    status: 200,
  },
  { send: (t) => ({ url: '/api/v1/me/notification-prefs', as: t.member }), status: 200 },
  {
    send: (t) => ({
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      as: t.member,
      payload: { kinds: [{ kind: 'reply', channel: 'email' }], digest: 'daily' },
    }),
    status: 200,
  },
  { send: (t) => ({ method: 'POST', url: `/api/v1/unsubscribe/${t.unsubscribeToken}?kind=digest` }), status: 200 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/unsubscribe/${t.unsubscribeToken}?kind=digest` }), status: 200 },
  { send: () => ({ method: 'POST', url: `/api/v1/unsubscribe/${'a'.repeat(32)}` }), status: 404 },
  { send: () => ({ method: 'POST', url: '/api/v1/unsubscribe/not-a-token' }), status: 400 },

  // Discussions, the end: a post with a reply stays as a tombstone; this one goes.
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/posts/${t.postId}`, as: t.member }), status: 204 },

  // Rate limits: the tour's app allows RATE_LIMIT_PER_MINUTE requests a minute from one address
  // (each step comes from an address of its own unless it names one), the reset endpoint five an hour.
  ...Array.from({ length: RATE_LIMIT }, (): Step => ({
    send: () => ({ url: '/api/v1/themes', remoteAddress: '198.51.100.41' }),
    status: 200,
  })),
  { send: () => ({ url: '/api/v1/themes', remoteAddress: '198.51.100.41' }), status: 429 },
  { send: () => ({ url: '/api/health', remoteAddress: '198.51.100.41' }), status: 429 },
  ...Array.from({ length: 5 }, (): Step => ({
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      remoteAddress: '198.51.100.42',
      payload: { email: 'someone@example.org' },
    }),
    status: 202,
  })),
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      remoteAddress: '198.51.100.42',
      payload: { email: 'someone@example.org' },
    }),
    status: 429,
  },

  // Signing out last: the member's session ends (not from another site).
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/logout',
      as: t.member,
      headers: { 'sec-fetch-site': 'cross-site' },
    }),
    status: 403,
  },
  { send: (t) => ({ method: 'POST', url: '/api/v1/auth/logout', as: t.member }), status: 204 },
];

let app: FastifyInstance;
let tour: Tour;
let validator: ReturnType<typeof responseValidator>;

beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
  const [member, organiser, other] = await Promise.all([signUp(app), signUpAs(app, 'organiser'), signUp(app)]);
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
    secondSession,
    caseSlug: uniqueSlug('tour-case'),
    postId: '',
    eventSlug: uniqueSlug('tour-event'),
    calendarPath: '',
    unsubscribeToken: await emailToken(app.database.kysely, member.user.id, newSessionToken()),
  };
  validator = responseValidator((await app.inject('/api/docs/json')).json<OpenApiDocument>());
});
afterAll(async () => {
  await app.close();
});

interface DocumentedOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { minLength?: number }> } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  components: { securitySchemes?: Record<string, unknown> };
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

  it('lists every error code the server sends, and the limits of bodies', () => {
    const errorSchema = doc.paths['/api/v1/me']!.get!.responses['401']!.content!['application/json']!.schema as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(errorSchema.properties.error.properties.code.enum).toEqual([...ErrorCodes]);
    expect(ErrorCodes).toContain('invalid_json');
    for (const [key, op] of operations) {
      if (!/^(POST|PUT|PATCH|DELETE) /.test(key)) continue;
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
