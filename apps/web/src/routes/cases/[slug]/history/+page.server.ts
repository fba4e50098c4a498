import { error } from '@sveltejs/kit';
import type { CaseRevision } from '@opsi/contracts/case-authoring';
import { apiFor, must } from '#lib/api/client.ts';
import { SLUG } from '#lib/input-rules.ts';
import { redirectIfMoved } from '#lib/server/case-form.ts';
import type { PageServerLoad } from './$types';

/** Revisions shown per page (one more is read, to show what the page's oldest one changed). */
const PER_PAGE = 20;

export const load: PageServerLoad = async (event) => {
  const { params, url, locals } = event;
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  const path = { slug: params.slug };
  const cursor = url.searchParams.get('cursor');
  const [item, revisions] = await Promise.all([
    api.GET('/api/v1/cases/{slug}', { params: { path } }),
    api.GET('/api/v1/cases/{slug}/revisions', {
      params: { path, query: { limit: PER_PAGE + 1, ...(cursor ? { cursor } : {}) } },
    }),
  ]);
  redirectIfMoved(event, item.response, locals.locale, '/history');
  if (item.response.status === 404) error(404, 'Not Found', { code: 'not_found' });
  if (revisions.response.status === 400) error(400, 'Bad request', { code: 'validation_failed' });
  const detail = await must(Promise.resolve(item));
  const list = await must(Promise.resolve(revisions));
  const shown: CaseRevision[] = list.items.slice(0, PER_PAGE);
  const older = list.items[PER_PAGE] ?? null;
  let next: string | null = null;
  if (older) {
    // The next page starts at `older`: the API's cursor for "after the page's last one".
    const again = await must(
      api.GET('/api/v1/cases/{slug}/revisions', {
        params: { path, query: { limit: PER_PAGE, ...(cursor ? { cursor } : {}) } },
      }),
    );
    next = again.nextCursor;
  }
  return {
    item: { slug: detail.slug, title: detail.title, version: detail.version },
    revisions: shown,
    /** The version before the page's oldest, to diff against (null: the page ends with version 1). */
    older,
    next,
    canEdit: ['organiser', 'moderator', 'admin'].includes(locals.me?.user.role ?? ''),
  };
};
