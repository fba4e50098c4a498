/**
 * A cached public page of a thread made one reader's own, as the UTF-8 bytes of its JSON: what the
 * service's `forReader` answers, built from the page's posts serialised and encoded once (kept on
 * the page) with the reader's fields appended to each, so a signed-in read neither serialises nor
 * encodes 50 posts again: it copies their bytes.
 */
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { ReaderState } from './states.ts';

export interface ThreadPage {
  /** The page as everyone sees it (hidden posts as tombstones). */
  list: PostList;
  /** Hidden posts of the page with their text, for their authors and moderators. */
  hidden: Map<string, { authorId: string; post: Post }>;
  /**
   * Each post's JSON bytes, made once: `open` without its closing brace (for the reader's fields),
   * `closed` with the fields of a reader who neither reacted to it nor blocked its author (most
   * posts for most readers: one piece to copy). The text of hidden posts, for those who may read it,
   * in `revealed`.
   */
  serialized?: {
    items: { open: Buffer; closed: Buffer }[];
    revealed: Map<string, Buffer>;
    nextCursor: string;
  };
}

const open = (json: string) => {
  if (!json.endsWith('}')) throw new Error('a post did not serialise to a JSON object');
  return Buffer.from(json.slice(0, -1), 'utf8');
};

const START = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
/** The reader's fields of a post they did not react to, by an author they did not block. */
const NOTHING_OF_MINE = ',"myReactions":[]}';

export function readerBody(
  page: ThreadPage,
  state: ReaderState,
  /** Whether the reader reads the text of a hidden post by this author (its author, moderators). */
  readsHidden: (authorId: string) => boolean,
  serializePost: (post: Post) => string,
): Buffer {
  const serialized = (page.serialized ??= {
    items: page.list.items.map((post) => {
      const json = serializePost(post);
      return { open: open(json), closed: Buffer.from(`${json.slice(0, -1)}${NOTHING_OF_MINE}`) };
    }),
    revealed: new Map([...page.hidden].map(([id, { post }]) => [id, open(serializePost(post))])),
    nextCursor: JSON.stringify(page.list.nextCursor),
  });
  const { mine, blocked } = state;
  const parts: Buffer[] = [START];
  page.list.items.forEach((post, i) => {
    const hidden = page.hidden.get(post.id);
    const revealed = hidden && readsHidden(hidden.authorId);
    const kinds = mine.get(post.id);
    const authorBlocked = blocked.has(post.author.handle);
    if (i > 0) parts.push(COMMA);
    if (!revealed && !kinds && !authorBlocked) {
      parts.push(serialized.items[i]!.closed);
      return;
    }
    parts.push(revealed ? serialized.revealed.get(post.id)! : serialized.items[i]!.open);
    parts.push(
      Buffer.from(
        `,"myReactions":${kinds ? JSON.stringify(kinds) : '[]'}${authorBlocked ? ',"authorBlocked":true' : ''}}`,
      ),
    );
  });
  const lastRead = state.lastRead === null || state.lastRead === '0' ? null : state.lastRead;
  parts.push(Buffer.from(`],"nextCursor":${serialized.nextCursor},"lastReadPostId":${JSON.stringify(lastRead)}}`));
  return Buffer.concat(parts);
}
