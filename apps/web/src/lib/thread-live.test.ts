import { describe, expect, it } from 'vitest';
import { missedOne } from './thread-live.ts';

describe('a live post tells the page whether it missed one', () => {
  it('only when the post before it in the thread is newer than the page’s newest', () => {
    expect(missedOne('41', '41')).toBe(false);
    expect(missedOne('40', '41')).toBe(false);
    expect(missedOne('42', '41')).toBe(true);
    // Ids are compared as numbers, not as text.
    expect(missedOne('100', '99')).toBe(true);
    expect(missedOne('99', '100')).toBe(false);
  });

  it('never for the thread’s first post, nor for a page that does not reach the end of the thread', () => {
    expect(missedOne(null, '41')).toBe(false);
    expect(missedOne('42', null)).toBe(false);
  });

  it('never from a post:created without previousId (sent by a node from before it, during an upgrade)', () => {
    expect(missedOne(undefined, '41')).toBe(false);
  });
});
