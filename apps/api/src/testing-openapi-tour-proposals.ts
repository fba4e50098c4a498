/** The OpenAPI tour: proposed cases (see testing-openapi-tour.ts). */
import type { Step, Tour } from './testing-openapi-tour.ts';

const approved = `tour-proposal-${process.pid}`;
const returned = `tour-returned-${process.pid}`;

function proposal(t: Tour, slug: string, overrides: Record<string, unknown> = {}) {
  return {
    method: 'POST' as const,
    url: '/api/v1/cases',
    as: t.member,
    payload: {
      slug,
      title: 'A case a member proposes',
      summary: 'Proposed by a member on the tour.',
      countries: ['FR'],
      themes: ['digital-government'],
      year: 2026,
      organisation: 'Tour town hall',
      levelOfGovernment: 'local',
      stage: 'idea',
      ...overrides,
    },
  };
}

export const PROPOSAL_STEPS: Step[] = [
  { send: (t) => proposal(t, approved), status: 202 },
  { send: (t) => proposal(t, returned), status: 202 },
  { send: (t) => proposal(t, approved), status: 409 },
  { send: (t) => proposal(t, 'tour-unknown-country', { countries: ['ZZ'] }), status: 422 },
  { send: (t) => proposal(t, 'tour-bad-year', { year: 'soon' }), status: 400 },
  { send: () => ({ url: `/api/v1/cases/${approved}` }), status: 404 },
  { send: (t) => ({ url: '/api/v1/me/proposals', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/proposals?cursor=nope', as: t.member }), status: 400 },
  { send: () => ({ url: '/api/v1/me/proposals' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/moderation/cases', as: t.moderator }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/cases?status=rejected', as: t.admin }), status: 200 },
  { send: (t) => ({ url: '/api/v1/moderation/cases?status=nope', as: t.moderator }), status: 400 },
  { send: () => ({ url: '/api/v1/moderation/cases' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/moderation/cases', as: t.member }), status: 403 },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/moderation/cases/${approved}/approve`, as: t.member, payload: {} }),
    status: 403,
  },
  {
    send: () => ({ method: 'POST', url: `/api/v1/moderation/cases/${approved}/approve`, payload: {} }),
    status: 401,
  },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/moderation/cases/no-such/approve', as: t.moderator, payload: {} }),
    status: 404,
  },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/moderation/cases/NOT_A_SLUG/approve', as: t.moderator, payload: {} }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/cases/${approved}/approve`,
      as: t.moderator,
      payload: {},
    }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/moderation/cases/${approved}/approve`, as: t.admin, payload: {} }),
    status: 409,
  },
  { send: () => ({ url: `/api/v1/cases/${approved}` }), status: 200 },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/cases/${returned}/reject`,
      as: t.moderator,
      payload: { reason: '' },
    }),
    status: 400,
  },
  {
    send: (t) => ({ method: 'POST', url: `/api/v1/moderation/cases/${returned}/reject`, as: t.member, payload: {} }),
    status: 403,
  },
  {
    send: () => ({ method: 'POST', url: `/api/v1/moderation/cases/${returned}/reject`, payload: {} }),
    status: 401,
  },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/moderation/cases/no-such/reject', as: t.admin, payload: {} }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/cases/${returned}/reject`,
      as: t.moderator,
      payload: { reason: 'Tell us what came of the pilot.' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: `/api/v1/moderation/cases/${returned}/reject`,
      as: t.admin,
      payload: { reason: 'Again' },
    }),
    status: 409,
  },
  { send: (t) => ({ url: `/api/v1/people/${t.member.handle}` }), status: 200 },
];
