/**
 * A cached public page of a thread made one reader's own, as the UTF-8 bytes of its JSON: what the
 * service's `forReader` answers. The page is serialised and encoded once (kept on the page) as it
 * reads for someone who reacted to nothing and blocked no one; a reader's answer is that body cut
 * around the few posts that are theirs (their reactions, an author they blocked, a hidden post they
 * may read), each of those made again, and the read marker at the end. The pieces are views of the
 * kept bytes (nothing copied), written one after another.
 */
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { ReaderState } from './states.ts';

export interface ThreadPage {
  /** The page as everyone sees it (hidden posts as tombstones). */
  list: PostList;
  /** Hidden posts of the page with their text, for their authors and moderators. */
  hidden: Map<string, { authorId: string; post: Post }>;
  /** The bytes every reader's answer is cut from, made once (`serialized`). */
  serialized?: Serialized;
}

interface Serialized {
  /** `{"items":[` and every post with the fields of a reader with nothing of theirs, up to the last post's `}`. */
  body: Buffer;
  /** Where each post's JSON starts and ends in `body`. */
  spans: { start: number; end: number }[];
  /** The text of the page's hidden posts without its closing brace, for those who may read it. */
  revealed: Map<string, Buffer>;
  index: Map<string, number>;
  /** Posts of the page by their author's handle. */
  byAuthor: Map<string, number[]>;
  nextCursor: string;
}

const NOTHING_OF_MINE = ',"myReactions":[]}';
const START = '{"items":[';

const withoutBrace = (json: string) => {
  if (!json.endsWith('}')) throw new Error('a post did not serialise to a JSON object');
  return json.slice(0, -1);
};

function serialize(page: ThreadPage, serializePost: (post: Post) => string): Serialized {
  const texts = page.list.items.map((post) => withoutBrace(serializePost(post)));
  const spans: Serialized['spans'] = [];
  let at = Buffer.byteLength(START);
  texts.forEach((text, i) => {
    if (i > 0) at += 1;
    const end = at + Buffer.byteLength(text) + Buffer.byteLength(NOTHING_OF_MINE);
    spans.push({ start: at, end });
    at = end;
  });
  const byAuthor = new Map<string, number[]>();
  page.list.items.forEach((post, i) => {
    const list = byAuthor.get(post.author.handle);
    if (list) list.push(i);
    else byAuthor.set(post.author.handle, [i]);
  });
  return {
    body: Buffer.from(`${START}${texts.map((text) => `${text}${NOTHING_OF_MINE}`).join(',')}`),
    spans,
    revealed: new Map([...page.hidden].map(([id, { post }]) => [id, Buffer.from(withoutBrace(serializePost(post)))])),
    index: new Map(page.list.items.map((post, i) => [post.id, i])),
    byAuthor,
    nextCursor: JSON.stringify(page.list.nextCursor),
  };
}

/** The reader's answer in pieces, to be written one after another (their total is the whole JSON). */
export function readerChunks(
  page: ThreadPage,
  state: ReaderState,
  /** Whether the reader reads the text of a hidden post by this author (its author, moderators). */
  readsHidden: (authorId: string) => boolean,
  serializePost: (post: Post) => string,
): Buffer[] {
  const kept = (page.serialized ??= serialize(page, serializePost));
  const { mine, blocked } = state;
  // The posts that are this reader's own: reacted to, by someone they blocked, hidden but readable.
  const theirs = new Set<number>();
  for (const id of mine.keys()) {
    const i = kept.index.get(id);
    if (i !== undefined) theirs.add(i);
  }
  for (const handle of blocked) for (const i of kept.byAuthor.get(handle) ?? []) theirs.add(i);
  for (const [id, { authorId }] of page.hidden) {
    const i = kept.index.get(id);
    if (i !== undefined && readsHidden(authorId)) theirs.add(i);
  }
  const chunks: Buffer[] = [];
  let from = 0;
  for (const i of [...theirs].sort((a, b) => a - b)) {
    const post = page.list.items[i]!;
    const { start, end } = kept.spans[i]!;
    const hidden = page.hidden.get(post.id);
    // The kept text follows the bytes before it: one piece for both (each piece is one more write).
    if (hidden && readsHidden(hidden.authorId))
      chunks.push(kept.body.subarray(from, start), kept.revealed.get(post.id)!);
    else chunks.push(kept.body.subarray(from, end - NOTHING_OF_MINE.length));
    const kinds = mine.get(post.id);
    chunks.push(
      Buffer.from(
        `,"myReactions":${kinds ? JSON.stringify(kinds) : '[]'}${blocked.has(post.author.handle) ? ',"authorBlocked":true' : ''}}`,
      ),
    );
    from = end;
  }
  chunks.push(kept.body.subarray(from));
  const lastRead = state.lastRead === null || state.lastRead === '0' ? null : state.lastRead;
  chunks.push(Buffer.from(`],"nextCursor":${kept.nextCursor},"lastReadPostId":${JSON.stringify(lastRead)}}`));
  return chunks;
}

/** The reader's answer as one piece. */
export function readerBody(
  page: ThreadPage,
  state: ReaderState,
  readsHidden: (authorId: string) => boolean,
  serializePost: (post: Post) => string,
): Buffer {
  return Buffer.concat(readerChunks(page, state, readsHidden, serializePost));
}
