import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import type { PageServerLoad } from './$types';

const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;

export const load: PageServerLoad = async (event) => {
  const asked = {
    from: event.url.searchParams.get('from') ?? '',
    to: event.url.searchParams.get('to') ?? '',
  };
  const query = {
    ...(MONTH.test(asked.from) ? { from: asked.from } : {}),
    ...(MONTH.test(asked.to) ? { to: asked.to } : {}),
  };
  const api = apiFor(event);
  const malformed = (asked.from !== '' && !query.from) || (asked.to !== '' && !query.to);
  try {
    if (malformed) throw new RangeError('malformed month');
    return { report: await must(api.GET('/api/v1/transparency', { params: { query } })), invalid: false };
  } catch (error) {
    // A range the API refuses (reversed, too long): the usual last twelve months, and a word why.
    if (!(error instanceof RangeError) && !(error instanceof ApiError && error.status === 400)) throw error;
    return { report: await must(api.GET('/api/v1/transparency')), invalid: true };
  }
};
