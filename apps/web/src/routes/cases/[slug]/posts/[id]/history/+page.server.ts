import { error } from '@sveltejs/kit';
import { createApi } from '#lib/api.ts';
import type { PageServerLoad } from './$types';

const SLUG = /^[a-z0-9-]{2,40}$/;
const ID = /^[1-9]\d{0,18}$/;

export const load: PageServerLoad = async ({ params, fetch }) => {
  if (!SLUG.test(params.slug) || !ID.test(params.id)) error(404, 'Not Found', { code: 'not_found' });
  const api = createApi(fetch);
  const [item, post, history] = await Promise.all([
    api.getCase(params.slug),
    api.findPost(params.id),
    api.postRevisions(params.id),
  ]);
  if (!post || post.caseSlug !== params.slug) error(404, 'Not Found', { code: 'not_found' });
  return { item, post, history, now: Date.now() };
};
