import { redirect } from '@sveltejs/kit';
import { createApi } from '#lib/api.ts';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { PageServerLoad } from './$types';

const CURSOR = /^[\w-]{1,200}$/;

export const load: PageServerLoad = async ({ locals, url, fetch }) => {
  if (!locals.me) redirect(303, withRedirect(href('/login', locals.locale), url.pathname + url.search));
  const cursor = url.searchParams.get('cursor');
  const feed = await createApi(fetch).feed(cursor && CURSOR.test(cursor) ? cursor : undefined);
  return { feed, paged: Boolean(cursor) };
};
