/** The OpenAPI tour: watching levels of case threads (see testing-openapi-tour.ts); after the content steps made `caseSlug`. */
import type { Step } from './testing-openapi-tour.ts';

export const WATCHING_STEPS: Step[] = [
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/me/threads/cases/${t.caseSlug}`,
      as: t.member,
      payload: { level: 'watching' },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: `/api/v1/me/threads/cases/${t.caseSlug}`,
      as: t.member,
      payload: { level: 'tracking' },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'PUT',
      url: '/api/v1/me/threads/cases/no-such-case',
      as: t.member,
      payload: { level: 'normal' },
    }),
    status: 404,
  },
  {
    send: (t) => ({ method: 'PUT', url: `/api/v1/me/threads/cases/${t.caseSlug}`, payload: { level: 'normal' } }),
    status: 401,
  },
  { send: (t) => ({ url: `/api/v1/me/threads/cases/${t.caseSlug}`, as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/threads', as: t.member }), status: 200 },
  { send: () => ({ url: '/api/v1/me/threads' }), status: 401 },
];
