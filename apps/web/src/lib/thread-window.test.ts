import { describe, expect, it } from 'vitest';
import type { Post } from '@opsi/contracts/discussions';
import { loadWindow, placeId, WINDOW_SIZE, type PostPage } from './thread-window.ts';

/** A post of the thread: only its id matters to the window. */
function post(id: number): Post {
  const reactions = { like: 0, insightful: 0, support: 0 };
  const author = { handle: 'ana', displayName: 'Ana' };
  return {
    id: String(id),
    author,
    reactions,
    mentions: [],
    replyCount: 0,
    deleted: false,
    editedAt: null,
    caseSlug: 'a-case',
    parentId: null,
    language: 'en',
    createdAt: '2026-11-23T10:00:00Z',
    body: `post ${id}`,
    bodyHtml: `<p>post ${id}</p>`,
  };
}

/** A thread of posts with ids 3, 6, 9, … (ids are not contiguous: other cases' posts sit between), listed as the API does. */
function thread(count: number, lastReadPostId: string | null = null) {
  const posts = Array.from({ length: count }, (_, i) => post((i + 1) * 3));
  const calls: string[] = [];
  const list = async (after: string, limit: number): Promise<PostPage> => {
    calls.push(`${after}/${limit}`);
    const rest = posts.filter((p) => BigInt(p.id) > BigInt(after));
    const items = rest.slice(0, limit);
    return {
      items,
      nextCursor: rest.length > limit ? items.at(-1)!.id : null,
      lastReadPostId,
    };
  };
  return { posts, calls, list };
}

const ids = (posts: Post[]) => posts.map((p) => Number(p.id));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => (from + i) * 3);

describe('loadWindow', () => {
  it('renders a short thread whole, with no links', async () => {
    const t = thread(10);
    const start = await t.list('0', WINDOW_SIZE);
    const window = await loadWindow(start, t.list, {});
    expect(ids(window.posts)).toEqual(range(1, 10));
    expect(window).toMatchObject({ earlier: null, later: null, lastReadPostId: null });
    expect(t.calls).toEqual([`0/${WINDOW_SIZE}`]);
  });

  it('opens a long thread at its start for a first-time reader, with a link to the later posts', async () => {
    const t = thread(200);
    const window = await loadWindow(await t.list('0', WINDOW_SIZE), t.list, {});
    expect(ids(window.posts)).toEqual(range(1, WINDOW_SIZE));
    expect(window.earlier).toBeNull();
    expect(window.later).toBe(String(WINDOW_SIZE * 3));
  });

  it('opens at the first unread post for a member who read past the start window', async () => {
    const t = thread(200, String(120 * 3));
    const window = await loadWindow(await t.list('0', WINDOW_SIZE), t.list, {});
    expect(ids(window.posts)).toEqual(range(121, WINDOW_SIZE));
    expect(window).toMatchObject({
      earlier: String(121 * 3),
      later: String((120 + WINDOW_SIZE) * 3),
      lastReadPostId: '360',
    });
  });

  it('keeps the start window when the first unread post is in it, and when nothing is unread', async () => {
    const inStart = thread(200, String(10 * 3));
    expect(ids((await loadWindow(await inStart.list('0', WINDOW_SIZE), inStart.list, {})).posts)).toEqual(
      range(1, WINDOW_SIZE),
    );
    const allRead = thread(200, String(200 * 3));
    const window = await loadWindow(await allRead.list('0', WINDOW_SIZE), allRead.list, {});
    expect(ids(window.posts)).toEqual(range(1, WINDOW_SIZE));
  });

  it('holds the post of a deep link (?post=), however old or new', async () => {
    const t = thread(200);
    const start = await t.list('0', WINDOW_SIZE);
    const old = await loadWindow(start, t.list, { post: String(20 * 3) });
    expect(ids(old.posts)).toContain(60);
    expect(old.earlier).toBeNull();
    const later = await loadWindow(start, t.list, { post: String(150 * 3) });
    expect(ids(later.posts)[0]).toBe(450);
    expect(later.posts).toHaveLength(WINDOW_SIZE);
    expect(later.earlier).toBe('450');
    const last = await loadWindow(start, t.list, { post: String(200 * 3) });
    expect(ids(last.posts)).toEqual([600]);
    expect(last.later).toBeNull();
  });

  it('follows the later-posts link (?after=) and the earlier-posts link (?before=)', async () => {
    const t = thread(200);
    const start = await t.list('0', WINDOW_SIZE);
    const second = await loadWindow(start, t.list, { after: String(WINDOW_SIZE * 3) });
    expect(ids(second.posts)).toEqual(range(WINDOW_SIZE + 1, WINDOW_SIZE));
    expect(second.earlier).toBe(String((WINDOW_SIZE + 1) * 3));
    const back = await loadWindow(start, t.list, { before: second.earlier });
    expect(ids(back.posts)).toEqual(range(1, WINDOW_SIZE));
    expect(back).toMatchObject({ earlier: null, later: String(WINDOW_SIZE * 3) });
    const middle = await loadWindow(start, t.list, { before: String(171 * 3) });
    expect(ids(middle.posts)).toEqual(range(171 - WINDOW_SIZE, WINDOW_SIZE));
    expect(middle).toMatchObject({ earlier: String((171 - WINDOW_SIZE) * 3), later: String(170 * 3) });
  });

  it('falls back to the start for an id past the end or not an id', async () => {
    const t = thread(200);
    const start = await t.list('0', WINDOW_SIZE);
    for (const place of [{ post: '999999' }, { after: '999999' }, { post: 'x' }, { before: '0' }, { after: '-1' }]) {
      const window = await loadWindow(start, t.list, place);
      expect(ids(window.posts)).toEqual(range(1, WINDOW_SIZE));
    }
  });
});

describe('placeId', () => {
  it('takes positive integer ids only', () => {
    expect(placeId('42')).toBe('42');
    for (const bad of [null, undefined, '', '0', '-3', '4.2', '01', '1'.repeat(20)]) expect(placeId(bad)).toBeNull();
  });
});
