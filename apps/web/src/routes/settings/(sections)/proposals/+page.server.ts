import { apiFor, or404 } from '#lib/api/client.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const page = await or404(apiFor(event).GET('/api/v1/me/proposals', { params: { query: { limit: 100 } } }));
  return { proposals: page.items };
};
