/**
 * The page the sign-up's verification link opens (`/verify-email?token=`; no sign-in needed: the
 * token is the capability). Opening it changes nothing, since mail scanners open links on their
 * own; the button posts the token to the API.
 */
import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import type { Actions, PageServerLoad } from './$types';

/** Tokens are 32 base-32 characters (the API's format); anything else cannot be valid. */
const TOKEN = /^[a-z2-7]{32}$/;

export const load: PageServerLoad = ({ url }) => {
  const token = url.searchParams.get('token') ?? '';
  return { token: TOKEN.test(token) ? token : null, wellFormed: TOKEN.test(token) };
};

export const actions: Actions = {
  verify: async (event) => {
    const token = String((await event.request.formData()).get('token') ?? '');
    if (!TOKEN.test(token)) return fail(422, { problem: 'invalid' as const });
    try {
      const { email } = await must(apiFor(event).POST('/api/v1/auth/verify-email', { body: { token } }));
      return { email };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
        return fail(error.status, { problem: 'invalid' as const });
      }
      throw error;
    }
  },

  /** The banner's "Send the link again" (signed in). */
  resend: async (event) => {
    try {
      await must(apiFor(event).POST('/api/v1/me/email/verification'));
      return { sent: true };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return fail(error.status, { problem: 'resend' as const });
      throw error;
    }
  },
};
