/** The OpenAPI tour: accounts, sessions, passwords, email changes and resets (see testing-openapi-tour.ts). */
import { GOOD_PASSWORD, nextAddress, uniqueSlug } from './testing.ts';
import type { Step } from './testing-openapi-tour.ts';
export const ACCOUNT_STEPS: Step[] = [
  {
    send: () => {
      const handle = uniqueSlug('tourist');
      return {
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextAddress(),
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD, displayName: 'Tourist', handle },
      };
    },
    status: 201,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: {
        email: `x${t.member.handle}@example.org`,
        password: GOOD_PASSWORD,
        displayName: 'Twin',
        handle: t.member.handle,
      },
    }),
    status: 409,
  },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: 'not-an-email', password: 'short', displayName: '', handle: 'X' },
    }),
    status: 400,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${t.member.handle}@example.org`, password: GOOD_PASSWORD },
    }),
    status: 200,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${t.member.handle}@example.org`, password: 'not the password at all' },
    }),
    status: 401,
  },
  { send: () => ({ url: '/api/v1/me' }), status: 401 },
  { send: (t) => ({ url: '/api/v1/me', as: t.member }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/sessions', as: t.member }), status: 200 },
  {
    send: (t) => ({ method: 'DELETE', url: `/api/v1/me/sessions/${'0'.repeat(16)}`, as: t.member }),
    status: 404,
  },
  {
    send: (t) => ({ method: 'DELETE', url: `/api/v1/me/sessions/${t.secondSession}`, as: t.member }),
    status: 204,
  },
  {
    send: () => ({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'nobody@example.org' } }),
    status: 202,
  },
  { send: () => ({ url: `/api/v1/auth/password-reset/${'a'.repeat(40)}` }), status: 200 },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: 'a'.repeat(40), newPassword: 'a brand new passphrase 2026' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      as: t.other,
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'another long passphrase 77' },
    }),
    status: 204,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      as: t.other,
      payload: { currentPassword: 'wrong wrong wrong', newPassword: 'another long passphrase 78' },
    }),
    status: 422,
  },
  {
    send: (t) => ({
      method: 'POST',
      url: '/api/v1/me/email',
      as: t.other,
      payload: { email: `new-${t.other.handle}@example.org`, currentPassword: 'another long passphrase 77' },
    }),
    status: 202,
  },
  { send: (t) => ({ url: '/api/v1/me/email', as: t.other }), status: 200 },
  { send: (t) => ({ url: '/api/v1/me/language', as: t.other }), status: 200 },
  { send: () => ({ url: '/api/v1/me/language' }), status: 401 },
  {
    send: (t) => ({ method: 'PUT', url: '/api/v1/me/language', as: t.other, payload: { language: 'fr' } }),
    status: 200,
  },
  {
    send: (t) => ({ method: 'PUT', url: '/api/v1/me/language', as: t.other, payload: { language: 'de' } }),
    status: 400,
  },
  {
    send: () => ({
      method: 'POST',
      url: '/api/v1/auth/email-confirm',
      remoteAddress: nextAddress(),
      payload: { token: 'a'.repeat(32) },
    }),
    status: 422,
  },
  // The first admin's setup link: the tour's site has an admin already.
  { send: (t) => ({ method: 'POST', url: '/api/v1/setup/claim', as: t.member, payload: { token: 'x' } }), status: 409 },
  { send: () => ({ method: 'POST', url: '/api/v1/setup/claim', payload: { token: 'x' } }), status: 401 },
  { send: (t) => ({ method: 'POST', url: '/api/v1/setup/claim', as: t.member, payload: {} }), status: 400 },
];
