/** The OpenAPI tour: trust and safety (see testing-openapi-tour.ts). */
import { GOOD_PASSWORD, nextAddress } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';

export const MODERATION_STEPS: Step[] = [
  // Suspensions
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.suspendable.handle}/suspension`,
      as: t.moderator,
      payload: { reason: 'Spam across three threads', days: 7 },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${t.suspendable.handle}@example.org`, password: GOOD_PASSWORD },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.suspendable.handle}/suspension`,
      as: t.member,
      payload: { reason: 'I do not like them', days: null },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.suspendable.handle}/suspension`,
      payload: { reason: 'anonymous', days: 1 },
    }),
    status: 401,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.suspendable.handle}/suspension`,
      as: t.moderator,
      payload: { reason: '', days: 0 },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/moderation/people/no-such-member/suspension',
      as: t.moderator,
      payload: { reason: 'nobody', days: 1 },
    }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.moderator.handle}/suspension`,
      as: t.moderator,
      payload: { reason: 'myself', days: 1 },
    }),
    status: 422,
  },
  { send: (t) => ({ url: '/api/v1/moderation/suspensions', as: t.moderator }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/suspensions', as: t.member }), status: 403 },
  { send: () => ({ url: '/api/v1/moderation/suspensions' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/moderation/suspensions?cursor=nope', as: t.moderator }), status: 400 },
  {
    send: (t) => ({
      method: 'DELETE',
      url: `/api/v1/moderation/people/${t.suspendable.handle}/suspension`,
      as: t.admin,
      payload: { reason: 'Appeal accepted' },
    }),
    status: 204,
  },

  // The moderation log
  { send: (t) => ({ url: '/api/v1/moderation/log', as: t.admin }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/log?targetType=person&limit=5', as: t.moderator }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/log', as: t.member }), status: 403 },
  { send: () => ({ url: '/api/v1/moderation/log' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/moderation/log?targetType=nope', as: t.admin }), status: 400 },

  // Admin pages and transparency (issue 12, admin)
  { send: (t) => ({ url: '/api/v1/admin/people?q=a&role=member&limit=5', as: t.admin }), status: 200 },
  { send: (t) => ({ url: '/api/v1/admin/people?suspended=true', as: t.admin }), status: 200 },
  { send: (t) => ({ url: '/api/v1/admin/people', as: t.moderator }), status: 403 },
  { send: () => ({ url: '/api/v1/admin/people' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/admin/people?role=king', as: t.admin }), status: 400 },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.other.handle}/role`,
      as: t.admin,
      payload: { role: 'organiser', reason: 'Runs the spring meetup' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.other.handle}/role`,
      as: t.admin,
      payload: { role: 'member', reason: 'The meetup is over' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.admin.handle}/role`,
      as: t.admin,
      payload: { role: 'member', reason: 'Leaving' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: '/api/v1/admin/people/no-such-member/role',
      as: t.admin,
      payload: { role: 'organiser', reason: 'nobody' },
    }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.other.handle}/role`,
      as: t.admin,
      payload: { role: 'emperor', reason: '' },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.other.handle}/role`,
      as: t.moderator,
      payload: { role: 'admin', reason: 'please' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/admin/people/${t.other.handle}/role`,
      payload: { role: 'admin', reason: 'please' },
    }),
    status: 401,
  },
  { send: () => ({ url: '/api/v1/transparency' }), status: 200 },
  { send: () => ({ url: '/api/v1/transparency?from=2026-01&to=2026-06&format=csv' }), status: 200 },
  { send: () => ({ url: '/api/v1/transparency?from=2026-13' }), status: 400 },
];
