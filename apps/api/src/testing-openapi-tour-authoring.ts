/** The OpenAPI tour: editing cases, their revisions, old slugs and the markdown preview (see testing-openapi-tour.ts). */
import type { Step } from './testing-openapi-tour.ts';

/** The tour case's name while it is renamed (it gets its own slug back at the end). */
const RENAMED = 'tour-case-renamed';

export const AUTHORING_STEPS: Step[] = [
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/cases/${t.caseSlug}`,
      as: t.organiser,
      payload: { version: 1, title: 'A case for the tour, edited', note: 'clearer title' },
    }),
    status: 200,
  },
  { send: (t) => ({ method: 'PATCH', url: `/api/v1/cases/${t.caseSlug}`, payload: { version: 2 } }), status: 401 },
  {
    send: (t) => ({ method: 'PATCH', url: `/api/v1/cases/${t.caseSlug}`, as: t.member, payload: { version: 2 } }),
    status: 403,
  },
  {
    send: (t) => ({ method: 'PATCH', url: '/api/v1/cases/no-such-case', as: t.organiser, payload: { version: 1 } }),
    status: 404,
  },
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/cases/${t.caseSlug}`,
      as: t.organiser,
      payload: { version: 1, title: 'A stale edit' },
    }),
    status: 409,
  },
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/cases/${t.caseSlug}`,
      as: t.organiser,
      payload: { version: 2, countries: ['ZZ'] },
    }),
    status: 422,
  },
  {
    send: (t) => ({ method: 'PATCH', url: `/api/v1/cases/${t.caseSlug}`, as: t.organiser, payload: { title: 'x' } }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/cases/${t.caseSlug}`,
      as: t.organiser,
      payload: { version: 2, slug: RENAMED },
    }),
    status: 200,
  },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}` }), status: 301 },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}/posts` }), status: 301 },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}/revisions` }), status: 301 },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}/revisions/1` }), status: 301 },
  { send: () => ({ url: `/api/v1/cases/${RENAMED}/revisions?limit=2` }), status: 200 },
  { send: () => ({ url: `/api/v1/cases/${RENAMED}/revisions?limit=0` }), status: 400 },
  { send: () => ({ url: '/api/v1/cases/no-such-case/revisions' }), status: 404 },
  { send: () => ({ url: `/api/v1/cases/${RENAMED}/revisions/1` }), status: 200 },
  { send: () => ({ url: `/api/v1/cases/${RENAMED}/revisions/0` }), status: 400 },
  { send: () => ({ url: `/api/v1/cases/${RENAMED}/revisions/99` }), status: 404 },
  {
    send: (t) => ({
      method: 'PATCH',
      url: `/api/v1/cases/${RENAMED}`,
      as: t.organiser,
      payload: { version: 3, slug: t.caseSlug },
    }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/markdown/preview', as: t.member, payload: { body: '**Hello**' } }),
    status: 200,
  },
  { send: () => ({ method: 'POST', url: '/api/v1/markdown/preview', payload: { body: 'Hello' } }), status: 401 },
  {
    send: (t) => ({ method: 'POST', url: '/api/v1/markdown/preview', as: t.member, payload: { text: 'Hello' } }),
    status: 400,
  },
];
