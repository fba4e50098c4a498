/** The OpenAPI tour: introductions between members in different countries (see testing-openapi-tour.ts). */
import type { Member, Step, Tour } from './testing-openapi-tour.ts';

/** The introductions the accept and decline steps answer (kept by the asking steps). */
const ids = { accepted: '', declined: '' };

const open = (who: (t: Tour) => Member, countryCode: string): Step => ({
  send: (t) => ({
    method: 'PATCH',
    url: '/api/v1/me/profile',
    as: who(t),
    payload: { countryCode, openToIntroductions: true },
  }),
  status: 200,
});

const ask = (
  who: (t: Tour) => Member | undefined,
  handle: (t: Tour) => string,
  status: number,
  keep?: keyof typeof ids,
  message = 'Shall we compare notes?',
): Step => ({
  send: (t) => ({ method: 'POST', url: '/api/v1/introductions', as: who(t), payload: { handle: handle(t), message } }),
  status,
  ...(keep
    ? {
        keep: (body: unknown) => {
          ids[keep] = (body as { id: string }).id;
        },
      }
    : {}),
});

const answer = (
  which: keyof typeof ids | 'abc',
  decision: 'accept' | 'decline',
  who: (t: Tour) => Member | undefined,
  status: number,
): Step => ({
  send: (t) => ({
    method: 'POST',
    url: `/api/v1/introductions/${which === 'abc' ? which : ids[which]}/${decision}`,
    as: who(t),
  }),
  status,
});

const nobody = () => undefined;

export const INTRODUCTION_STEPS: Step[] = [
  open((t) => t.member, 'FR'),
  open((t) => t.other, 'CA'),
  open((t) => t.admin, 'BR'),
  { send: () => ({ url: '/api/v1/me/matches' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/me/matches?limit=5&lang=fr', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/matches?limit=0', as: t.member }), status: 400 },
  ask(nobody, (t) => t.other.handle, 401),
  ask(
    (t) => t.member,
    (t) => t.other.handle,
    201,
    'accepted',
  ),
  ask(
    (t) => t.member,
    (t) => t.other.handle,
    409,
  ),
  ask(
    (t) => t.member,
    (t) => t.member.handle,
    422,
  ),
  ask(
    (t) => t.member,
    () => 'no-such-member',
    404,
  ),
  ask(
    (t) => t.member,
    (t) => t.other.handle,
    400,
    undefined,
    '',
  ),
  ask(
    (t) => t.admin,
    (t) => t.other.handle,
    201,
    'declined',
  ),
  { send: () => ({ url: '/api/v1/me/introductions' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/me/introductions?direction=received', as: t.other }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/introductions?status=maybe', as: t.other }), status: 400 },
  answer('accepted', 'accept', nobody, 401),
  answer('accepted', 'accept', (t) => t.member, 403),
  answer('accepted', 'accept', (t) => t.organiser, 404),
  answer('abc', 'accept', (t) => t.other, 400),
  answer('accepted', 'accept', (t) => t.other, 200),
  answer('accepted', 'accept', (t) => t.other, 409),
  answer('declined', 'decline', nobody, 401),
  answer('declined', 'decline', (t) => t.admin, 403),
  answer('declined', 'decline', (t) => t.organiser, 404),
  answer('abc', 'decline', (t) => t.other, 400),
  answer('declined', 'decline', (t) => t.other, 200),
  answer('declined', 'decline', (t) => t.other, 409),
];
