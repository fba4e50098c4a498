import { describe, expect, it } from 'vitest';
import type { Post } from '@opsi/contracts/discussions';
import { createFreshPosts, everyonesView } from './fresh-posts.ts';

function post(id: string, extra: Partial<Post> = {}): Post {
  return {
    id,
    caseSlug: 'a-case',
    parentId: null,
    author: { handle: 'ana', displayName: 'Ana' },
    body: 'text',
    bodyHtml: '<p>text</p>',
    language: 'en',
    createdAt: '2026-12-05T00:00:00.000Z',
    editedAt: null,
    deleted: false,
    hidden: false,
    reactions: {},
    replyCount: 0,
    mentions: [],
    ...extra,
  } as Post;
}

describe('posts just written, for their live post:created', () => {
  it('keeps the post as every reader sees it, and gives it once', () => {
    const fresh = createFreshPosts();
    fresh.put(post('1', { myReactions: [] }), '0');
    expect(fresh.take('1')).toEqual({ ...post('1'), previousId: '0' });
    expect(fresh.take('1')).toBeUndefined();
  });

  it('keeps no hidden or deleted post, and forgets the oldest beyond its bound', () => {
    const fresh = createFreshPosts(2);
    fresh.put(post('1', { hidden: true }), null);
    fresh.put(post('2', { deleted: true }), '1');
    expect(fresh.take('1')).toBeUndefined();
    expect(fresh.take('2')).toBeUndefined();
    for (const id of ['3', '4', '5']) fresh.put(post(id), String(Number(id) - 1));
    expect(fresh.take('3')).toBeUndefined();
    expect(fresh.take('4')?.id).toBe('4');
    expect(fresh.take('5')).toMatchObject({ id: '5', previousId: '4' });
  });

  it('offers each post to the live thread as it is put, and keeps only those it did not send', () => {
    const fresh = createFreshPosts();
    const offered: string[] = [];
    fresh.offer((p) => {
      offered.push(`${p.id}<${p.previousId}`);
      return p.id === '2';
    });
    fresh.put(post('1', { myReactions: [] }), null);
    fresh.put(post('2'), '1');
    fresh.put(post('3', { hidden: true }), '2');
    expect(offered).toEqual(['1<null', '2<1']);
    expect(fresh.take('1')).toEqual({ ...post('1'), previousId: null });
    expect(fresh.take('2')).toBeUndefined();
  });

  it('leaves out what belongs to one viewer', () => {
    expect(everyonesView(post('1', { myReactions: ['like'] as never, authorBlocked: true }))).toEqual(post('1'));
  });
});
