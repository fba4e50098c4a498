/**
 * The tour of the API that openapi.test.ts holds to the OpenAPI document: every operation, its
 * usual answers and its error paths, in order. A new endpoint or status is one more row in TOUR.
 */
import type { InjectOptions } from 'fastify';
import { GOOD_PASSWORD, nextAddress, type signUp, uniqueSlug } from './testing.ts';

export type Member = Awaited<ReturnType<typeof signUp>>;

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

const DAY = 24 * 60 * 60 * 1000;
/** RATE_LIMIT_PER_MINUTE of the tour's app. */
export const RATE_LIMIT = 20;
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
  {
    send: (t) => ({ url: `/api/v1/posts/${t.postId}/revisions` }),
    status: 200,
    keep: (body, t) => {
      t.revisionId = (body as { items: { id: string }[] }).items[0]!.id;
    },
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/posts/${t.postId}/revisions/${t.revisionId}/redaction`,
      as: t.member,
      payload: { reason: 'Not a moderator' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/posts/${t.postId}/revisions/${t.revisionId}/redaction`,
      payload: { reason: 'Signed out' },
    }),
    status: 401,
  },
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
  { send: (t) => ({ url: '/api/v1/me/organiser-invitations', as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/me/organiser-invitations' }), status: 401 },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/events/${t.eventSlug}/organiser-invitations/accept`, as: t.member }),
    status: 404,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/events/${t.eventSlug}/organiser-invitations/decline`, as: t.member }),
    status: 404,
  },
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
