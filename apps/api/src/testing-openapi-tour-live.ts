/** The OpenAPI tour: the live layer of an event, Q&A and polls (see testing-openapi-tour.ts). */
import { uniqueSlug } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';

const DAY = 24 * 60 * 60 * 1000;
const slug = uniqueSlug('tour-live');
const starts = new Date(Date.now() + 5 * DAY);
/** What the steps made, for the steps after them. */
const made = { questionId: '', pollId: '' };

export const LIVE_STEPS: Step[] = [
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/events',
      as: t.organiser,
      payload: {
        slug,
        title: 'Live Q&A clinic',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'online',
        onlineUrl: 'https://meet.example.org/live',
        capacity: null,
        countries: ['FR'],
        themes: ['digital-government'],
      },
    }),
    status: 201,
  },
  { send: () => ({ url: `/api/v1/events/${slug}/questions` }), status: 200 },
  { send: () => ({ url: '/api/v1/events/no-such-event/questions' }), status: 404 },
  { send: () => ({ url: '/api/v1/cases/my-france-2022/event-records' }), status: 200 },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/events/${slug}/qa`, as: t.member, payload: { open: true } }),
    status: 403,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/events/${slug}/qa`, as: t.organiser, payload: { open: true } }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/events/${slug}/questions`, as: t.member, payload: { body: 'Hm?' } }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${slug}/questions`,
      as: t.organiser,
      payload: { body: 'What would you do differently?' },
    }),
    status: 201,
    keep: (body) => {
      made.questionId = (body as { id: string }).id;
    },
  },
  { send: () => ({ method: 'PUT', url: `/api/v1/questions/${made.questionId}/vote` }), status: 401 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/questions/${made.questionId}/vote`, as: t.member }), status: 200 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/questions/${made.questionId}/vote`, as: t.member }), status: 200 },
  ...(['answered', 'hidden', 'pinned'] as const).flatMap((what): Step[] => [
    {
      send: (t) => ({
        method: 'POST',
        url: `/api/v1/questions/${made.questionId}/${what}`,
        as: t.member,
        payload: { value: true },
      }),
      status: 403,
    },
    {
      send: (t) => ({
        method: 'POST',
        url: `/api/v1/questions/${made.questionId}/${what}`,
        as: t.organiser,
        payload: { value: what !== 'hidden' },
      }),
      status: 200,
    },
  ]),
  { send: () => ({ url: `/api/v1/events/${slug}/polls` }), status: 200 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${slug}/polls`,
      as: t.organiser,
      payload: { question: 'Which city next?', options: ['Lisbon', 'Tallinn'], multiple: false },
    }),
    status: 201,
    keep: (body) => {
      made.pollId = (body as { id: string }).id;
    },
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/events/${slug}/polls`,
      as: t.member,
      payload: { question: 'Mine?', options: ['Yes', 'No'], multiple: false },
    }),
    status: 403,
  },
  {
    send: (t) => ({ method: 'PUT', url: `/api/v1/polls/${made.pollId}/vote`, as: t.member, payload: { options: [1] } }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/polls/${made.pollId}/vote`,
      as: t.member,
      payload: { options: [0, 1] },
    }),
    status: 422,
  },
  { send: (t) => ({ method: 'POST', url: `/api/v1/polls/${made.pollId}/close`, as: t.member }), status: 403 },
  { send: (t) => ({ method: 'POST', url: `/api/v1/polls/${made.pollId}/close`, as: t.organiser }), status: 200 },
  {
    send: (t) => ({ method: 'PUT', url: `/api/v1/polls/${made.pollId}/vote`, as: t.member, payload: { options: [0] } }),
    status: 409,
  },
];
