/**
 * A cached public page of a thread made one reader's own, as JSON text: what the service's
 * `forReader` answers, built from the page's posts serialised once (kept on the page) with the
 * reader's fields appended to each, so a signed-in read serialises 50 posts no more.
 */
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { ReaderState } from './states.ts';

export interface ThreadPage {
  /** The page as everyone sees it (hidden posts as tombstones). */
  list: PostList;
  /** Hidden posts of the page with their text, for their authors and moderators. */
  hidden: Map<string, { authorId: string; post: Post }>;
  /** Each post's JSON without its closing brace, public and (for hidden posts) revealed; made once. */
  serialized?: { items: string[]; revealed: Map<string, string>; nextCursor: string };
}

const open = (json: string) => {
  if (!json.endsWith('}')) throw new Error('a post did not serialise to a JSON object');
  return json.slice(0, -1);
};

export function readerBody(
  page: ThreadPage,
  state: ReaderState,
  /** Whether the reader reads the text of a hidden post by this author (its author, moderators). */
  readsHidden: (authorId: string) => boolean,
  serializePost: (post: Post) => string,
): string {
  const serialized = (page.serialized ??= {
    items: page.list.items.map((post) => open(serializePost(post))),
    revealed: new Map([...page.hidden].map(([id, { post }]) => [id, open(serializePost(post))])),
    nextCursor: JSON.stringify(page.list.nextCursor),
  });
  const { mine, blocked } = state;
  const parts: string[] = [];
  page.list.items.forEach((post, i) => {
    const hidden = page.hidden.get(post.id);
    const text = hidden && readsHidden(hidden.authorId) ? serialized.revealed.get(post.id)! : serialized.items[i]!;
    const kinds = mine.get(post.id);
    parts.push(
      `${text},"myReactions":${kinds ? JSON.stringify(kinds) : '[]'}${blocked.has(post.author.handle) ? ',"authorBlocked":true' : ''}}`,
    );
  });
  const lastRead = state.lastRead === null || state.lastRead === '0' ? null : state.lastRead;
  return `{"items":[${parts.join(',')}],"nextCursor":${serialized.nextCursor},"lastReadPostId":${JSON.stringify(lastRead)}}`;
}
