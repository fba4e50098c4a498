/**
 * The tour of the API that openapi.test.ts holds to the OpenAPI document: every operation, its
 * usual answers and its error paths, in order. A new endpoint or status is one more row in TOUR
 * (here: health, reference data, accounts, profiles, cases, the limits and signing out; the
 * discussions, events, follows and notifications are in testing-openapi-tour-community.ts).
 */
import type { InjectOptions } from 'fastify';
import { GOOD_PASSWORD, nextAddress, uniqueSlug, type Member } from './testing.ts';
import { COMMUNITY_STEPS } from './testing-openapi-tour-community.ts';

/** What the tour knows: its people, and what earlier steps made. */
export interface Tour {
  member: Member;
  organiser: Member;
  other: Member;
  /** A second session of `member`, revoked along the way. */
  secondSession: string;
  caseSlug: string;
  postId: string;
  /** An earlier version of that post (after its edit). */
  revisionId: string;
  eventSlug: string;
  calendarPath: string;
  unsubscribeToken: string;
}

export interface Step {
  /** What to send (`as`: whose session cookie goes with it). */
  send: (t: Tour) => InjectOptions & { as?: Member | undefined };
  /** The status this step is about (the document must list it too). */
  status: number;
  /** Keeps what later steps need. */
  keep?: (body: unknown, t: Tour) => void;
}

/** RATE_LIMIT_PER_MINUTE of the tour's app. */
export const RATE_LIMIT = 20;

/** The tour, in order: each step may use what the previous ones kept. */
export const TOUR: Step[] = [
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
    status: 202,
  },
  { send: (t) => ({ url: '/api/v1/me/email', as: t.other }), status: 200 },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/email-confirm',
      remoteAddress: nextAddress(),
      payload: { token: 'a'.repeat(32) },
    }),
    status: 422,
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

  // Discussions, events, follows and notifications (testing-openapi-tour-community.ts)
  ...COMMUNITY_STEPS,

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
