import { describe, expect, it } from 'vitest';
import type { Post } from '@opsi/contracts/discussions';
import {
  conversations,
  countChange,
  firstUnread,
  isNewPost,
  lastId,
  markBlocked,
  mergePosts,
  postAddress,
  setReactions,
  visiblePosts,
} from './thread.ts';

function post(id: string, overrides: Partial<Post> = {}): Post {
  return {
    id,
    caseSlug: 'a-case',
    parentId: null,
    author: { handle: 'ana', displayName: 'Ana' },
    body: `post ${id}`,
    bodyHtml: `<p>post ${id}</p>`,
    language: 'en',
    createdAt: '2026-11-23T10:00:00Z',
    editedAt: null,
    deleted: false,
    reactions: { like: 0, insightful: 0, support: 0 },
    replyCount: 0,
    mentions: [],
    ...overrides,
  };
}

describe('mergePosts', () => {
  it('keeps each post once, in id order (10 after 9), the latest version winning', () => {
    const merged = mergePosts([post('9'), post('10')], [post('10', { body: 'edited' }), post('2'), post('9')]);
    expect(merged.map((p) => p.id)).toEqual(['2', '9', '10']);
    expect(merged.find((p) => p.id === '10')?.body).toBe('edited');
  });

  it('keeps the reader’s own reactions when a live copy does not carry them', () => {
    const merged = mergePosts([post('1', { myReactions: ['like'] })], [post('1', { body: 'live' })]);
    expect(merged[0]).toMatchObject({ body: 'live', myReactions: ['like'] });
  });
});

describe('conversations', () => {
  it('puts replies under their top-level post, oldest first', () => {
    const list = conversations([post('3', { parentId: '1' }), post('1'), post('2'), post('4', { parentId: '1' })]);
    expect(list.map((c) => [c.post.id, c.replies.map((r) => r.id)])).toEqual([
      ['1', ['3', '4']],
      ['2', []],
    ]);
  });

  it('shows a reply alone when its parent is not loaded', () => {
    expect(conversations([post('5', { parentId: '1' })]).map((c) => c.post.id)).toEqual(['5']);
  });
});

describe('visiblePosts', () => {
  it('drops deleted posts, but keeps a tombstone while it has live replies', () => {
    const posts = [post('1', { deleted: true }), post('2', { parentId: '1' }), post('3', { deleted: true })];
    expect(visiblePosts(posts).map((p) => p.id)).toEqual(['1', '2']);
    expect(visiblePosts([post('1', { deleted: true }), post('2', { parentId: '1', deleted: true })])).toEqual([]);
  });
});

describe('helpers', () => {
  it('finds the last id, the first unread post by others, and sets reactions', () => {
    const posts = [post('8'), post('12', { author: { handle: 'me', displayName: 'Me' } }), post('15')];
    expect(lastId(posts)).toBe('15');
    expect(lastId([])).toBe('0');
    expect(firstUnread(posts, '8', 'me')).toBe('15');
    expect(firstUnread(posts, null, 'me')).toBeNull();
    expect(firstUnread(posts, '15', 'me')).toBeNull();
    const counts = { like: 2, insightful: 0, support: 1 };
    expect(setReactions(posts, '8', counts)[0]?.reactions).toEqual(counts);
  });
});

describe('isNewPost', () => {
  it('marks posts from the divider on (10 after 9), except the reader’s own; none without a divider', () => {
    const mine = { author: { handle: 'me', displayName: 'Me' } };
    expect(isNewPost(post('10'), '9', 'me')).toBe(true);
    expect(isNewPost(post('9'), '9', 'me')).toBe(true);
    expect(isNewPost(post('8'), '9', 'me')).toBe(false);
    expect(isNewPost(post('10', mine), '9', 'me')).toBe(false);
    expect(isNewPost(post('10'), null, 'me')).toBe(false);
    expect(isNewPost(post('10'), '9', null)).toBe(true);
  });
});

describe('markBlocked', () => {
  it('marks the posts of blocked members, as the API does, and leaves the others alone', () => {
    const mine = post('1', { author: { handle: 'ana', displayName: 'Ana' } });
    const theirs = post('2', { author: { handle: 'bob', displayName: 'Bob' } });
    const marked = markBlocked([mine, theirs], new Set(['bob']));
    expect(marked.map((p) => p.authorBlocked ?? false)).toEqual([false, true]);
    expect(marked[0]).toBe(mine);
  });

  it('changes nothing when the viewer blocked no one', () => {
    const posts = [post('1')];
    expect(markBlocked(posts, new Set())).toBe(posts);
  });
});

describe('postAddress', () => {
  it('asks the case page for the window holding the post, and still scrolls to it', () => {
    expect(postAddress('/cases/open-budgets#post-42')).toBe('/cases/open-budgets?post=42#post-42');
  });

  it('leaves other addresses alone', () => {
    for (const url of ['/cases/open-budgets', '/events/x#post-4', '/cases/a/b#post-4', '/cases/a?post=4#post-4']) {
      expect(postAddress(url)).toBe(url);
    }
  });
});

describe('countChange', () => {
  const thread = [post('1'), post('2'), post('3', { deleted: true })];

  it('adds new posts, takes deleted and hidden ones away, gives unhidden ones back, once each', () => {
    expect(countChange(thread, [post('4')], false)).toBe(1);
    expect(countChange(thread, [post('4'), post('4')], false)).toBe(1);
    expect(countChange(thread, [post('2', { deleted: true })], false)).toBe(-1);
    expect(countChange(thread, [post('1', { hidden: true })], false)).toBe(-1);
    expect(countChange([post('1', { hidden: true })], [post('1')], false)).toBe(1);
    // An edit, or a deleted post deleted again, changes nothing.
    expect(countChange(thread, [post('1', { body: 'edited' }), post('3', { deleted: true })], false)).toBe(0);
  });

  it('counts a post the window never loaded, arriving deleted, as one less in a window of a longer thread only', () => {
    expect(countChange(thread, [post('9', { deleted: true })], true)).toBe(-1);
    expect(countChange(thread, [post('9', { deleted: true })], false)).toBe(0);
  });
});
