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

  // Member tools: blocks, muted threads, trust, email verification
  { send: (t) => ({ method: 'PUT', url: `/api/v1/me/blocks/${t.other.handle}`, as: t.member }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/me/blocks/${t.member.handle}`, as: t.member }), status: 422 },
  { send: (t) => ({ method: 'PUT', url: '/api/v1/me/blocks/no-such-member', as: t.member }), status: 404 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/me/blocks/${t.other.handle}` }), status: 401 },
  { send: (t) => ({ url: `/api/v1/me/blocks/${t.other.handle}`, as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/blocks', as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/me/blocks' }), status: 401 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/me/blocks/${t.other.handle}`, as: t.member }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: `/api/v1/me/mutes/cases/${t.caseSlug}`, as: t.member }), status: 200 },
  { send: (t) => ({ method: 'PUT', url: '/api/v1/me/mutes/cases/no-such-case', as: t.member }), status: 404 },
  { send: (t) => ({ url: `/api/v1/me/mutes/cases/${t.caseSlug}`, as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/mutes', as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/me/mutes' }), status: 401 },
  { send: (t) => ({ method: 'DELETE', url: `/api/v1/me/mutes/cases/${t.caseSlug}`, as: t.member }), status: 200 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.other.handle}/trust`,
      as: t.moderator,
      payload: { reason: 'Known to the team' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/people/${t.other.handle}/trust`,
      as: t.member,
      payload: { reason: 'my friend' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: `/api/v1/moderation/people/${t.other.handle}/trust`,
      as: t.admin,
      payload: { reason: 'Posting links to spam' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: '/api/v1/moderation/people/no-such-member/trust',
      as: t.admin,
      payload: { reason: 'nobody' },
    }),
    status: 404,
  },
  {
    send: () => ({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token: 'a'.repeat(32) } }),
    status: 422,
  },
  { send: (t) => ({ method: 'POST', url: '/api/v1/me/email/verification', as: t.member }), status: 200 },
  { send: () => ({ method: 'POST', url: '/api/v1/me/email/verification' }), status: 401 },
];
