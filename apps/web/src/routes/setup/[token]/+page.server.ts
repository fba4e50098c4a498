/**
 * The first admin's setup link (printed in the server's log while the site has no admin). Opening
 * it changes nothing; the signed-in member's button posts the token to the API, which makes them
 * admin. Signed out, the page sends them to sign in (or up) and back here.
 */
import { fail } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import type { Actions, PageServerLoad } from './$types';

/** Tokens are 32 random bytes in base64url (the API's format); anything else cannot be valid. */
const TOKEN = /^[\w-]{43}$/;

type Problem = 'invalid' | 'has_admin' | 'signed_out';

/** What the page says about the API's refusal; null for what is not the link's fault (rethrown). */
function problemOf(error: unknown): Problem | null {
  if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) return null;
  if (error.code === 'conflict') return 'has_admin';
  return error.status === 401 ? 'signed_out' : 'invalid';
}

export const load: PageServerLoad = ({ params }) => ({ wellFormed: TOKEN.test(params.token) });

export const actions: Actions = {
  default: async (event) => {
    const token = event.params.token;
    if (!TOKEN.test(token)) return fail(422, { problem: 'invalid' as Problem });
    const answer = await must(apiFor(event).POST('/api/v1/setup/claim', { body: { token } })).catch(
      (error: unknown) => {
        const problem = problemOf(error);
        if (!problem) throw error;
        return { problem, status: (error as ApiError).status };
      },
    );
    return 'problem' in answer ? fail(answer.status, { problem: answer.problem }) : { handle: answer.handle };
  },
};
