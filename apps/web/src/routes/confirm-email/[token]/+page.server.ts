/**
 * The page the email-change link opens (no sign-in needed: the token is the capability). Opening
 * it changes nothing, since mail scanners open links on their own; the button posts the
 * confirmation to the API.
 */
import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import type { Actions, PageServerLoad } from './$types';

/** Tokens are 32 base-32 characters (the API's format); anything else cannot be valid. */
const TOKEN = /^[a-z2-7]{32}$/;

export const load: PageServerLoad = ({ params }) => ({ wellFormed: TOKEN.test(params.token) });

export const actions: Actions = {
  default: async (event) => {
    const { params } = event;
    if (!TOKEN.test(params.token)) return fail(422, { problem: 'invalid' as const });
    try {
      const body = { token: params.token };
      const { email } = await must(apiFor(event).POST('/api/v1/auth/email-confirm', { body }));
      return { email };
    } catch (error) {
      if (error instanceof ApiError && error.code === 'conflict') return fail(409, { problem: 'taken' as const });
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
        return fail(error.status, { problem: 'invalid' as const });
      }
      throw error;
    }
  },
};
