/**
 * The thread's shape in the browser: the API sends a flat list, oldest first, where a reply
 * carries the id of its top-level post. Live events and catch-up pages are merged by id, so a post
 * that arrives twice (socket and catch-up) is kept once, in id order.
 */
import { POST_MAX_LENGTH, type Post, type ReactionCounts } from '@opsi/contracts/discussions';

export interface Conversation {
  post: Post;
  replies: Post[];
}

/** What the case page's actions answer when they refuse a form sent without JavaScript. */
export interface ThreadForm {
  /** Which form: `new`, `reply-<id>`, `edit-<id>` or `react-<id>`. */
  form?: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
  /** The post whose deletion asks to be confirmed. */
  confirmDelete?: string;
}

function byId(a: Post, b: Post): number {
  const x = BigInt(a.id);
  const y = BigInt(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Adds or replaces posts by id; the result is in id order. */
export function mergePosts(current: Post[], incoming: Post[]): Post[] {
  const all = new Map(current.map((p) => [p.id, p]));
  for (const post of incoming) {
    const known = all.get(post.id);
    // A live event does not know the reader's own reactions: keep the ones we had.
    all.set(post.id, known?.myReactions && !post.myReactions ? { ...post, myReactions: known.myReactions } : post);
  }
  return [...all.values()].sort(byId);
}

/** Whether the thread's post count counts a post: not deleted, not hidden by the moderators (as the API's `postCount`). */
export function isCounted(post: Post): boolean {
  return !post.deleted && !post.hidden;
}

/**
 * How the thread's post count changes when `incoming` posts (live, a catch-up, the reader's own)
 * are merged into `current`: a new post adds one, a deleted or hidden one takes one away, an
 * unhidden one gives it back. In a window of a longer thread (`windowed`), a post the page never
 * loaded that arrives deleted or hidden was counted before, so it takes one away too.
 */
export function countChange(current: Post[], incoming: Post[], windowed: boolean): number {
  const known = new Map(current.map((p) => [p.id, p]));
  let change = 0;
  for (const post of incoming) {
    const before = known.get(post.id);
    const counted = isCounted(post);
    if (before) change += Number(counted) - Number(isCounted(before));
    else if (counted) change += 1;
    else if (windowed) change -= 1;
    known.set(post.id, post);
  }
  return change;
}

/**
 * Posts by members the viewer blocked, marked `authorBlocked` as the API marks the posts it reads
 * out: live events are the same for everyone in the room, so the page marks them itself.
 */
export function markBlocked(posts: Post[], blocked: ReadonlySet<string>): Post[] {
  if (!blocked.size) return posts;
  return posts.map((p) => (blocked.has(p.author.handle) && !p.authorBlocked ? { ...p, authorBlocked: true } : p));
}

/** Top-level posts with their replies, both oldest first. Replies whose parent is not loaded stand alone. */
export function conversations(posts: Post[]): Conversation[] {
  const roots = new Map<string, Conversation>();
  const out: Conversation[] = [];
  for (const post of [...posts].sort(byId)) {
    const parent = post.parentId ? roots.get(post.parentId) : undefined;
    if (parent) {
      parent.replies.push(post);
      continue;
    }
    const conversation = { post, replies: [] };
    if (!post.parentId) roots.set(post.id, conversation);
    out.push(conversation);
  }
  return out;
}

/** A deleted post without live replies leaves the thread; a tombstone stays while replies remain. */
export function visiblePosts(posts: Post[]): Post[] {
  const liveReplies = new Map<string, number>();
  for (const post of posts) {
    if (post.parentId && !post.deleted) liveReplies.set(post.parentId, (liveReplies.get(post.parentId) ?? 0) + 1);
  }
  return posts.filter((post) => !post.deleted || (!post.parentId && (liveReplies.get(post.id) ?? 0) > 0));
}

export function setReactions(
  posts: Post[],
  postId: string,
  reactions: ReactionCounts,
  mine?: Post['myReactions'],
): Post[] {
  return posts.map((p) => (p.id === postId ? { ...p, reactions, ...(mine ? { myReactions: mine } : {}) } : p));
}

/** The largest id, or '0'. */
export function lastId(posts: Post[]): string {
  let last = 0n;
  for (const post of posts) if (BigInt(post.id) > last) last = BigInt(post.id);
  return last.toString();
}

/** The first post written after the reader's last visit by someone else (for the "new" divider). */
export function firstUnread(posts: Post[], lastReadPostId: string | null, me: string | null): string | null {
  if (lastReadPostId === null) return null;
  const after = BigInt(lastReadPostId);
  const found = [...posts].sort(byId).find((p) => BigInt(p.id) > after && p.author.handle !== me && !p.deleted);
  return found?.id ?? null;
}

/** Whether `post` is new to the reader: at or after the divider (`firstUnread`), and not their own. */
export function isNewPost(post: Post, dividerBefore: string | null, me: string | null): boolean {
  return dividerBefore !== null && BigInt(post.id) >= BigInt(dividerBefore) && post.author.handle !== me;
}

/**
 * The address of a post in its thread, as the case page wants it: `?post=<id>` makes the server
 * render the window of the thread holding that post (a fragment never reaches the server) and
 * `#post-<id>` scrolls to it. Other addresses come back unchanged.
 */
export function postAddress(url: string): string {
  const found = /^(\/cases\/[^/?#]+)#post-([1-9]\d{0,18})$/.exec(url);
  return found ? `${found[1]}?post=${found[2]}#post-${found[2]}` : url;
}

/** A client id for a draft: a retry of the same submission posts once (the API keeps the first). */
export function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The longest post the API takes (NewPost.body in @opsi/contracts/discussions). */
export const POST_MAX = POST_MAX_LENGTH;
/** The counter appears when this close to the limit. */
export const POST_WARN_AT = 18_000;
