/** The OpenAPI tour: trust and safety (see testing-openapi-tour.ts). */
import { GOOD_PASSWORD, nextAddress } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';

/** The report the resolve steps act on (kept by the first report step). */
let reportId = '';

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

  // Reports and the moderation queue
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      as: t.member,
      payload: { targetType: 'person', target: t.other.handle, reason: 'harassment', note: 'In three threads' },
    }),
    status: 201,
    keep: (body) => {
      reportId = (body as { id: string }).id;
    },
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      as: t.member,
      payload: { targetType: 'person', target: t.other.handle, reason: 'spam' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      as: t.member,
      payload: { targetType: 'post', target: t.postId, reason: 'spam' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      as: t.member,
      payload: { targetType: 'case', target: 'no-such-case', reason: 'spam' },
    }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      as: t.member,
      payload: { targetType: 'case', target: t.caseSlug, reason: 'rude' },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { targetType: 'case', target: t.caseSlug, reason: 'spam' },
    }),
    status: 401,
  },
  { send: (t) => ({ url: '/api/v1/moderation/reports', as: t.moderator }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/reports?status=resolved', as: t.admin }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/reports', as: t.member }), status: 403 },
  { send: () => ({ url: '/api/v1/moderation/reports' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/moderation/reports?status=nope', as: t.moderator }), status: 400 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/reports/${reportId}/resolve`,
      as: t.member,
      payload: { action: 'dismiss', reason: 'no' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/reports/${reportId}/resolve`,
      as: t.moderator,
      payload: { action: 'delete', reason: 'not a post' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/reports/${reportId}/resolve`,
      as: t.moderator,
      payload: { action: 'warn', reason: 'Keep it civil' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/reports/${reportId}/resolve`,
      as: t.moderator,
      payload: { action: 'dismiss', reason: 'again' },
    }),
    status: 409,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/moderation/reports/999999999/resolve',
      as: t.moderator,
      payload: { action: 'dismiss', reason: 'none' },
    }),
    status: 404,
  },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/moderation/reports/1/resolve',
      payload: { action: 'dismiss', reason: 'none' },
    }),
    status: 401,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/posts/${t.postId}/hidden`,
      as: t.moderator,
      payload: { reason: 'Off topic' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/posts/${t.postId}/hidden`,
      as: t.member,
      payload: { reason: 'Off topic' },
    }),
    status: 403,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/moderation/posts/999999999/hidden',
      as: t.moderator,
      payload: { reason: 'Off topic' },
    }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: `/api/v1/moderation/posts/${t.postId}/hidden`,
      as: t.admin,
      payload: { reason: 'On reflection' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: `/api/v1/moderation/posts/${t.postId}/hidden`,
      payload: { reason: 'anonymous' },
    }),
    status: 401,
  },
  {
    send: (t) => ({
      method: 'DELETE',
      url: `/api/v1/moderation/posts/${t.postId}/hidden`,
      as: t.moderator,
      payload: { reason: '' },
    }),
    status: 400,
  },
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
