/**
 * The outbox reader's notices: one that comes while a read is under way is checked against what
 * that read handed out, so a writer's own notice, arriving during the read it poked for, asks for
 * no second read; one for an activity the read did not hand out still gets its read.
 */
import { describe, expect, it } from 'vitest';
import { readNotices } from './notices.ts';

/** A read that hands out `ids`, with `during` called while it is under way (as a notice would come). */
function readOf(ids: string[], during: () => void) {
  return async () => {
    await Promise.resolve();
    during();
    await Promise.resolve();
    return ids;
  };
}

describe('readNotices', () => {
  it('asks for a read for a notice when none is under way', () => {
    const notices = readNotices();
    expect(notices.told('41')).toBe(true);
  });

  it('leaves a notice that comes during a read to it: none missed when the read handed that activity out', async () => {
    const notices = readNotices();
    const told: boolean[] = [];
    const { result, missed } = await notices.read(
      readOf(['41', '42'], () => told.push(notices.told('42'))),
      (ids) => ids,
    );
    expect(told).toEqual([false]);
    expect(result).toEqual(['41', '42']);
    expect(missed).toBe(false);
    // After the read, a notice asks for a read again.
    expect(notices.told('43')).toBe(true);
  });

  it('says the read missed an activity told during it that it did not hand out', async () => {
    const notices = readNotices();
    const { missed } = await notices.read(
      readOf(['41'], () => {
        notices.told('41');
        notices.told('44');
      }),
      (ids) => ids,
    );
    expect(missed).toBe(true);
  });

  it('keeps nothing from one read to the next', async () => {
    const notices = readNotices();
    await notices.read(
      readOf([], () => notices.told('44')),
      (ids) => ids,
    );
    const { missed } = await notices.read(
      readOf(['45'], () => undefined),
      (ids) => ids,
    );
    expect(missed).toBe(false);
  });

  it('asks for reads again after a read that failed', async () => {
    const notices = readNotices();
    await expect(
      notices.read(
        async () => {
          await Promise.resolve();
          expect(notices.told('46')).toBe(false);
          throw new Error('connection lost');
        },
        () => [],
      ),
    ).rejects.toThrow('connection lost');
    expect(notices.told('46')).toBe(true);
  });
});
