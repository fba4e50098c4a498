import { error } from '@sveltejs/kit';
import { apiFor, or404 } from '#lib/api/client.ts';
import { SLUG } from '#lib/input-rules.ts';
import { loadLive } from '#lib/server/live-actions.ts';
import type { PageServerLoad } from './$types';

/** The stage view: the event's Q&A and polls, large, for the person on stage (read-only). */
export const load: PageServerLoad = async (request) => {
  if (!SLUG.test(request.params.slug)) error(404, 'Not Found', { code: 'not_found' });
  request.depends('app:event');
  const api = apiFor(request);
  const [event, live] = await Promise.all([
    or404(api.GET('/api/v1/events/{slug}', { params: { path: { slug: request.params.slug } } })),
    loadLive(request),
  ]);
  return { event: { slug: event.slug, title: event.title }, live };
};
