import { redirect } from '@sveltejs/kit';
import { apiFor, or404 } from '#lib/api/client.ts';
import { href } from '#lib/i18n.ts';
import { CURSOR_MAX } from '#lib/input-rules.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { PageServerLoad } from './$types';

const CURSOR = /^[\w-]+$/;

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (!locals.me) redirect(303, withRedirect(href('/login', locals.locale), url.pathname + url.search));
  const cursor = url.searchParams.get('cursor');
  const query = cursor && cursor.length <= CURSOR_MAX && CURSOR.test(cursor) ? { cursor } : {};
  const feed = await or404(apiFor(event).GET('/api/v1/me/feed', { params: { query } }));
  return { feed, paged: Boolean(cursor) };
};
