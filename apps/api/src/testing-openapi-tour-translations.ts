/** The OpenAPI tour: translations of cases (see testing-openapi-tour.ts); after the content steps made `caseSlug`. */
import type { Step } from './testing-openapi-tour.ts';

const path = (slug: string, language = 'fr') => `/api/v1/cases/${slug}/translations/${language}`;
const french = {
  title: 'Un cas pour la visite',
  summary: 'Un cas créé par la visite de l’OpenAPI.',
  body: 'Le texte du cas, en français.',
};

export const TRANSLATION_STEPS: Step[] = [
  { send: (t) => ({ url: path(t.caseSlug) }), status: 404 },
  { send: (t) => ({ url: path(t.caseSlug, 'FR') }), status: 400 },
  { send: (t) => ({ method: 'PUT', url: path(t.caseSlug), payload: french }), status: 401 },
  { send: (t) => ({ method: 'PUT', url: path(t.caseSlug), as: t.member, payload: french }), status: 403 },
  { send: (t) => ({ method: 'PUT', url: path(t.caseSlug), as: t.organiser, payload: french }), status: 201 },
  {
    send: (t) => ({ method: 'PUT', url: path(t.caseSlug), as: t.organiser, payload: { ...french, body: '' } }),
    status: 200,
  },
  { send: (t) => ({ method: 'PUT', url: path(t.caseSlug, 'en'), as: t.organiser, payload: french }), status: 422 },
  { send: (t) => ({ method: 'PUT', url: path(t.caseSlug), as: t.organiser, payload: { title: 'x' } }), status: 400 },
  { send: (t) => ({ method: 'PUT', url: path('no-such-case'), as: t.organiser, payload: french }), status: 404 },
  { send: (t) => ({ url: path(t.caseSlug) }), status: 200 },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}?lang=fr` }), status: 200 },
  { send: (t) => ({ url: `/api/v1/cases/${t.caseSlug}?lang=Français` }), status: 400 },
  { send: (t) => ({ method: 'DELETE', url: path(t.caseSlug) }), status: 401 },
  { send: (t) => ({ method: 'DELETE', url: path(t.caseSlug), as: t.member }), status: 403 },
  { send: (t) => ({ method: 'DELETE', url: path(t.caseSlug, 'FR'), as: t.organiser }), status: 400 },
  { send: (t) => ({ method: 'DELETE', url: path(t.caseSlug), as: t.organiser }), status: 204 },
  { send: (t) => ({ method: 'DELETE', url: path(t.caseSlug), as: t.organiser }), status: 404 },
];
