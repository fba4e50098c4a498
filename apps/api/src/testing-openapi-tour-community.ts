/**
 * The OpenAPI tour's steps for what members do together (testing-openapi-tour.ts runs them in
 * this order, after the cases): discussions, events, follows and the feeds, notifications and
 * email preferences.
 */
import { uniqueSlug } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';

const DAY = 24 * 60 * 60 * 1000;
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

export const COMMUNITY_STEPS: Step[] = [
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
];
