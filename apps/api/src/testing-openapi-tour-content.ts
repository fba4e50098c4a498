/** The OpenAPI tour: profiles, cases, discussions and search (see testing-openapi-tour.ts). */
import type { Step } from './testing-openapi-tour.ts';

const json = { 'content-type': 'application/json' };

export const CONTENT_STEPS: Step[] = [
  { send: () => ({ url: '/api/v1/people?limit=5' }), status: 200 },
  { send: (t) => ({ url: `/api/v1/people/${t.member.handle}` }), status: 200 },
  { send: () => ({ url: '/api/v1/people/no-such-person-here' }), status: 404 },
  {
    send: (t) => ({ url: `/api/v1/suggestions/people?q=me&case=my-france-2022`, as: t.member }),
    status: 200,
  },
  { send: (t) => ({ url: '/api/v1/suggestions/people?q=%20a%20', as: t.member }), status: 400 },
  { send: () => ({ url: '/api/v1/suggestions/people?q=me' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/suggestions/cases?q=my', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/suggestions/cases?q=m', as: t.member }), status: 400 },
  { send: () => ({ url: '/api/v1/suggestions/cases?q=my' }), status: 401 },
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
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: {
        title: 'Not allowed',
        summary: 'Another site cannot post in a member’s name.',
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
];
