/**
 * Unread posts by case slug, for the case lists: the API answers at most `UNREAD_BATCH` slugs a
 * request (GET /api/v1/me/unread), so a long list is asked for in batches.
 */
import { must, type Api } from './client.ts';

/** The API takes at most 100 slugs a request. */
export const UNREAD_BATCH = 100;

/**
 * The cases among `slugs` this member has visited and that have posts they have not read, with
 * how many (signed in only; an ApiError 401 otherwise). No request for no slugs.
 */
export async function unreadCounts(api: Api, slugs: readonly string[]): Promise<Record<string, number>> {
  const unique = [...new Set(slugs)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += UNREAD_BATCH) batches.push(unique.slice(i, i + UNREAD_BATCH));
  const answers = await Promise.all(
    batches.map((batch) => must(api.GET('/api/v1/me/unread', { params: { query: { slugs: batch } } }))),
  );
  const counts: Record<string, number> = {};
  for (const { slug, unread } of answers.flatMap((answer) => answer.items)) {
    if (unread > 0) counts[slug] = unread;
  }
  return counts;
}
