/**
 * A reader's answer cut from the page's kept bytes is the page made theirs field by field: their
 * reactions, the authors they blocked, the hidden posts they may read, their read marker, and
 * nothing else changed (a post they reacted to elsewhere in the thread is not on this page).
 */
import { describe, expect, it } from 'vitest';
import type { Post, PostList } from '@opsi/contracts/discussions';
import { readerBody, readerChunks, type ThreadPage } from './reader-body.ts';
import type { ReaderState } from './states.ts';

const post = (id: string, handle: string, body: string): Post =>
  ({
    id,
    caseSlug: 'case',
    parentId: null,
    author: { handle, displayName: `Ann ${handle} — “é”` },
    body,
    bodyHtml: `<p>${body}</p>`,
    createdAt: '2026-12-05T10:00:00.000Z',
    editedAt: null,
    deleted: false,
    hidden: false,
    reactions: { like: 1, insightful: 0, support: 0 },
  }) as unknown as Post;

function page(): ThreadPage {
  const items = [
    post('1', 'ann', 'First'),
    post('2', 'bob', 'Second, with ünïcode ✓'),
    { ...post('3', 'cat', ''), hidden: true } as Post,
    post('4', 'bob', 'Fourth'),
    post('5', 'dan', 'Fifth'),
  ];
  const list: PostList = { items, nextCursor: '5', lastReadPostId: null };
  const hiddenText = { ...post('3', 'cat', 'Hidden text'), hidden: true, hiddenReason: 'Off topic' } as Post;
  return { list, hidden: new Map([['3', { authorId: '30', post: hiddenText }]]) };
}

/** What the reader must get, built from the objects. */
function expected(p: ThreadPage, state: ReaderState, readsHidden: (authorId: string) => boolean) {
  return {
    items: p.list.items.map((item) => {
      const hidden = p.hidden.get(item.id);
      return {
        ...(hidden && readsHidden(hidden.authorId) ? hidden.post : item),
        myReactions: state.mine.get(item.id) ?? [],
        ...(state.blocked.has(item.author.handle) ? { authorBlocked: true } : {}),
      };
    }),
    nextCursor: p.list.nextCursor,
    lastReadPostId: state.lastRead === null || state.lastRead === '0' ? null : state.lastRead,
  };
}

const serializePost = (p: Post) => JSON.stringify(p);
const state = (over: Partial<ReaderState> = {}): ReaderState => ({
  mine: new Map(),
  lastRead: null,
  blocked: new Set(),
  ...over,
});

describe('a reader’s answer from the kept page', () => {
  const cases: [string, ReaderState, (authorId: string) => boolean][] = [
    ['nothing of theirs', state(), () => false],
    ['nothing of theirs, read marker at 0', state({ lastRead: '0' }), () => false],
    [
      'reactions (one on a post of another page), a read marker',
      state({
        mine: new Map([
          ['2', ['insightful', 'like']],
          ['5', ['support']],
          ['99', ['like']],
        ]),
        lastRead: '4',
      }),
      () => false,
    ],
    ['an author blocked (two posts)', state({ blocked: new Set(['bob']) }), () => false],
    ['the hidden post’s author', state({ mine: new Map([['3', ['like']]]) }), (authorId) => authorId === '30'],
    [
      'a moderator who blocked and reacted to everyone',
      state({
        mine: new Map(['1', '2', '3', '4', '5'].map((id) => [id, ['like']])),
        blocked: new Set(['ann', 'bob', 'cat', 'dan']),
        lastRead: '5',
      }),
      () => true,
    ],
  ];
  for (const [name, reader, readsHidden] of cases) {
    it(name, () => {
      const kept = page();
      // Twice: the first read keeps the page's bytes, the second is cut from them.
      for (let i = 0; i < 2; i += 1) {
        const body = readerBody(kept, reader, readsHidden, serializePost);
        expect(JSON.parse(body.toString('utf8'))).toEqual(expected(kept, reader, readsHidden));
        expect(Buffer.concat(readerChunks(kept, reader, readsHidden, serializePost)).equals(body)).toBe(true);
      }
    });
  }

  it('is written in as few pieces as the kept bytes allow: two per post of theirs (three for a hidden one revealed), and two', () => {
    const kept = page();
    const reactedTwice = state({
      mine: new Map([
        ['2', ['like']],
        ['5', ['support']],
      ]),
    });
    expect(readerChunks(kept, reactedTwice, () => false, serializePost)).toHaveLength(2 * 2 + 2);
    const revealed = state({ mine: new Map([['3', ['like']]]) });
    expect(readerChunks(kept, revealed, (authorId) => authorId === '30', serializePost)).toHaveLength(3 + 2);
  });

  it('an empty page', () => {
    const empty: ThreadPage = { list: { items: [], nextCursor: null, lastReadPostId: null }, hidden: new Map() };
    const body = readerBody(empty, state({ lastRead: '7' }), () => false, serializePost);
    expect(JSON.parse(body.toString('utf8'))).toEqual({ items: [], nextCursor: null, lastReadPostId: '7' });
  });
});
