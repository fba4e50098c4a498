/**
 * Which posts of a long thread the case page renders: a window of `WINDOW_SIZE` posts around the
 * reader's place, with links to the posts before and after it (plain links, so they work without
 * JavaScript; with it, the later ones load as the reader scrolls). The place is, in order:
 *  - `?post=<id>` (a deep link to a post: notifications, search results, the feed), the window
 *    holding that post;
 *  - `?after=<id>` / `?before=<id>` (the "later posts" / "earlier posts" links);
 *  - the first post the member has not read yet, when they have read this thread before;
 *  - the start of the thread.
 * The API lists posts oldest first after a cursor (`?after=<id>&limit=`), so the start window and a
 * window after any id are one request each; the window before an id walks the thread from the
 * start (only the "earlier posts" link asks for it).
 */
import type { Post } from '@opsi/contracts/discussions';

/** Posts rendered at once (and loaded per scroll step). */
export const WINDOW_SIZE = 40;
/** Page size of the walk from the start that finds the posts before an id (the API's largest page). */
const WALK_PAGE = 100;

export interface PostPage {
  items: Post[];
  nextCursor: string | null;
  lastReadPostId: string | null;
}

/** Lists posts with a larger id than `after`, oldest first (GET /api/v1/cases/{slug}/posts). */
export type ListPosts = (after: string, limit: number) => Promise<PostPage>;

export interface Place {
  post?: string | null;
  after?: string | null;
  before?: string | null;
}

export interface ThreadWindow {
  posts: Post[];
  /** There are posts before the window: the "earlier posts" link asks for those before this id. */
  earlier: string | null;
  /** There are posts after the window: the cursor of the next ones (`?after=`). */
  later: string | null;
  /** The member's read marker before this visit (null when anonymous or never read). */
  lastReadPostId: string | null;
}

const ID = /^[1-9]\d{0,18}$/;

/** A valid post id from a query parameter, or null. */
export function placeId(value: string | null | undefined): string | null {
  return value && ID.test(value) ? value : null;
}

const big = (id: string) => BigInt(id);

/** `start` is the thread's start window (asked without `after`, WINDOW_SIZE posts), fetched by the caller in parallel. */
export async function loadWindow(start: PostPage, list: ListPosts, place: Place): Promise<ThreadWindow> {
  const lastReadPostId = start.lastReadPostId;
  const first = start.items[0];
  const fromStart = (): ThreadWindow => ({
    posts: start.items,
    earlier: null,
    later: start.nextCursor,
    lastReadPostId,
  });
  if (!first || !start.nextCursor) return fromStart();
  const startEnd = big(start.items.at(-1)!.id);

  /** The window of posts after `after` (an id past the start window), or null when there are none. */
  const after = async (cursor: string): Promise<ThreadWindow | null> => {
    const page = await list(cursor, WINDOW_SIZE);
    if (!page.items.length) return null;
    return { posts: page.items, earlier: page.items[0]!.id, later: page.nextCursor, lastReadPostId };
  };

  const post = placeId(place.post);
  if (post) {
    if (big(post) <= startEnd) return fromStart();
    return (await after((big(post) - 1n).toString())) ?? fromStart();
  }
  const afterId = placeId(place.after);
  if (afterId) {
    if (big(afterId) < big(first.id)) return fromStart();
    return (await after(afterId)) ?? fromStart();
  }
  const beforeId = placeId(place.before);
  if (beforeId) return before(start, list, beforeId);
  // A member who read past the start window comes back to the first post they have not read.
  if (lastReadPostId !== null && big(lastReadPostId) >= startEnd) {
    return (await after(lastReadPostId)) ?? fromStart();
  }
  return fromStart();
}

/** The WINDOW_SIZE posts before `id`, walking the thread from its start. */
async function before(start: PostPage, list: ListPosts, id: string): Promise<ThreadWindow> {
  const limit = big(id);
  let kept: Post[] = [];
  let page: PostPage = start;
  let reachedLimit = false;
  for (;;) {
    for (const post of page.items) {
      if (big(post.id) >= limit) {
        reachedLimit = true;
        break;
      }
      kept.push(post);
    }
    if (kept.length > WINDOW_SIZE) kept = kept.slice(-WINDOW_SIZE);
    if (reachedLimit || !page.nextCursor) break;
    page = await list(page.nextCursor, WALK_PAGE);
  }
  if (!kept.length)
    return { posts: start.items, earlier: null, later: start.nextCursor, lastReadPostId: start.lastReadPostId };
  const firstKept = kept[0]!.id;
  return {
    posts: kept,
    earlier: firstKept === start.items[0]!.id ? null : firstKept,
    later: reachedLimit || page.nextCursor ? kept.at(-1)!.id : null,
    lastReadPostId: start.lastReadPostId,
  };
}
