/** The OpenAPI tour: events, RSVPs, check-ins, invitations and calendars (see testing-openapi-tour.ts). */
import { uniqueSlug } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';
const DAY = 24 * 60 * 60 * 1000;

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

export const EVENT_STEPS: Step[] = [
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
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/messages`, as: t.organiser }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/messages`, as: t.member }), status: 403 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/messages` }), status: 401 },
  { send: (t) => ({ url: '/api/v1/events/no-such-event/messages', as: t.organiser }), status: 404 },
  { send: (t) => ({ url: '/api/v1/events/NOT_A_SLUG/messages', as: t.organiser }), status: 400 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar.ics` }), status: 200 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar.ics`, as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/events/no-such-event/calendar.ics' }), status: 404 },
  { send: (t) => ({ url: `/api/v1/events/${t.eventSlug}/calendar-links` }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/events', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/events?when=past', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/events?when=soon', as: t.member }), status: 400 },
  { send: () => ({ url: '/api/v1/me/events' }), status: 401 },
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
];
