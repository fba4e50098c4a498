/**
 * The tour of the API that openapi.test.ts holds to the OpenAPI document: every operation, its
 * usual answers and its error paths, in order. A new endpoint or status is one more row in TOUR.
 */
import type { InjectOptions } from 'fastify';
import type { signUp } from './testing.ts';
import { ACCOUNT_STEPS } from './testing-openapi-tour-accounts.ts';
import { CONTENT_STEPS } from './testing-openapi-tour-content.ts';
import { AUTHORING_STEPS } from './testing-openapi-tour-authoring.ts';
import { EVENT_STEPS } from './testing-openapi-tour-events.ts';
import { LIVE_STEPS } from './testing-openapi-tour-live.ts';
import { MODERATION_STEPS } from './testing-openapi-tour-moderation.ts';
import { PROPOSAL_STEPS } from './testing-openapi-tour-proposals.ts';
import { INTRODUCTION_STEPS } from './testing-openapi-tour-introductions.ts';
import { TRANSLATION_STEPS } from './testing-openapi-tour-translations.ts';
import { WATCHING_STEPS } from './testing-openapi-tour-watching.ts';

export type Member = Awaited<ReturnType<typeof signUp>>;

/** What the tour knows: its people, and what earlier steps made. */
export interface Tour {
  member: Member;
  organiser: Member;
  other: Member;
  moderator: Member;
  admin: Member;
  /** A member the moderation steps suspend (and so sign out). */
  suspendable: Member;
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
  ...ACCOUNT_STEPS,

  // Profiles, cases and discussions
  ...CONTENT_STEPS,
  ...TRANSLATION_STEPS,

  // Editing cases: revisions, renames (301 from the old slug) and the markdown preview
  ...AUTHORING_STEPS,

  // Events
  ...EVENT_STEPS,
  // The live layer of an event: Q&A and polls
  ...LIVE_STEPS,

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

  // Trust and safety
  ...MODERATION_STEPS,

  // Watching levels of case threads
  ...WATCHING_STEPS,

  // Proposed cases: a member proposes, moderators approve or return
  ...PROPOSAL_STEPS,

  // Introductions: two members in different countries opt in, one asks, the other answers
  ...INTRODUCTION_STEPS,

  // Privacy: the other member downloads their data, then deletes their account (last use of them).
  { send: () => ({ url: '/api/v1/me/export' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/me/export', as: t.other }), status: 200 },
  { send: () => ({ method: 'DELETE', url: '/api/v1/me', payload: { password: 'x', posts: 'delete' } }), status: 401 },
  {
    send: (t) => ({ method: 'DELETE', url: '/api/v1/me', as: t.other, payload: { password: 'x', posts: 'keep' } }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: '/api/v1/me',
      as: t.other,
      payload: { password: 'not the password at all', posts: 'anonymise' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: '/api/v1/me',
      as: t.other,
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { password: 'another long passphrase 77', posts: 'anonymise' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: '/api/v1/me',
      as: t.other,
      payload: { password: 'another long passphrase 77', posts: 'anonymise' },
    }),
    status: 204,
  },

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
