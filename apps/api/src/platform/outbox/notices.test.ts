/**
 * The outbox reader's notices: one that comes while a read is under way is checked against what
 * that read handed out, so a writer's own notice, arriving during the read it poked for, asks for
 * no second read; one for an activity the read did not hand out, or during a read that failed,
 * still gets its read. A notice that comes after the read that handed its activity out asks for none.
 */
import { describe, expect, it } from 'vitest';
import { afterCommit, readNotices } from './notices.ts';

/** A read that hands out `ids`, with `during` called while it is under way (as a notice would come). */
function readOf(ids: string[], during: () => void) {
  return async () => {
    await Promise.resolve();
    during();
    await Promise.resolve();
    return ids;
  };
}

/** Notices whose asks for a read are counted. */
function counted() {
  const asked = { reads: 0 };
  return { asked, notices: readNotices(() => (asked.reads += 1)) };
}

describe('readNotices', () => {
  it('asks for a read for a notice when none is under way', () => {
    const { asked, notices } = counted();
    notices.told('41');
    expect(asked.reads).toBe(1);
  });

  it('leaves a notice that comes during a read to it: none missed when the read handed that activity out', async () => {
    const { asked, notices } = counted();
    const { result, missed } = await notices.read(
      readOf(['41', '42'], () => notices.told('42')),
      (ids) => ids,
    );
    expect(asked.reads).toBe(0);
    expect(result).toEqual(['41', '42']);
    expect(missed).toBe(false);
    // After the read, a notice asks for a read again.
    notices.told('43');
    expect(asked.reads).toBe(1);
  });

  it('says the read missed an activity told during it that it did not hand out', async () => {
    const { asked, notices } = counted();
    const { missed } = await notices.read(
      readOf(['41'], () => {
        notices.told('41');
        notices.told('44');
      }),
      (ids) => ids,
    );
    expect(missed).toBe(true);
    expect(asked.reads).toBe(0);
  });

  it('keeps nothing from one read to the next', async () => {
    const { notices } = counted();
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

  it('asks for another read when a read with notices told during it fails, and for none without', async () => {
    const { asked, notices } = counted();
    const failing = (during: () => void) => async () => {
      await Promise.resolve();
      during();
      throw new Error('connection lost');
    };
    await expect(
      notices.read(
        failing(() => undefined),
        () => [],
      ),
    ).rejects.toThrow('connection lost');
    expect(asked.reads).toBe(0);
    await expect(
      notices.read(
        failing(() => notices.told('46')),
        () => [],
      ),
    ).rejects.toThrow('connection lost');
    expect(asked.reads).toBe(1);
    // No read is under way any more: the next notice asks at once.
    notices.told('47');
    expect(asked.reads).toBe(2);
  });

  it('asks for no read for a notice that comes after the read that handed its activity out', async () => {
    const { asked, notices } = counted();
    await notices.read(
      readOf(['50', '51'], () => undefined),
      (ids) => ids,
    );
    notices.told('51');
    notices.told('50');
    expect(asked.reads).toBe(0);
    // An activity no read has handed out still gets its read.
    notices.told('52');
    expect(asked.reads).toBe(1);
  });

  it('forgets the oldest ids handed out beyond the last 1,024: their late notices get a read again', async () => {
    const { asked, notices } = counted();
    const ids = Array.from({ length: 1025 }, (_, i) => String(1000 + i));
    await notices.read(
      readOf(ids, () => undefined),
      (handed) => handed,
    );
    notices.told('1001');
    expect(asked.reads).toBe(0);
    notices.told('1000');
    expect(asked.reads).toBe(1);
  });

  it('says what it knows of an activity: unknown, heard (its notice came), handed out', async () => {
    const { notices } = counted();
    expect(notices.status('60')).toBe('unknown');
    notices.told('60');
    expect(notices.status('60')).toBe('heard');
    await notices.read(
      readOf(['60'], () => undefined),
      (ids) => ids,
    );
    expect(notices.status('60')).toBe('handedOut');
  });
});

describe('afterCommit', () => {
  /** A reader whose pokes are counted, with runs under way or not. */
  function reader(current: Promise<void> | null) {
    const pokes = { count: 0 };
    return { pokes, reader: { poke: () => ((pokes.count += 1), Promise.resolve()), current: () => current } };
  }

  it('pokes for an activity the reader knows nothing of', async () => {
    const { notices } = counted();
    const { pokes, reader: r } = reader(null);
    await afterCommit(notices, r, '70');
    expect(pokes.count).toBe(1);
  });

  it('waits for the reads under way, without a poke, when the commit’s notice came first', async () => {
    const { notices } = counted();
    notices.told('71');
    let finish!: () => void;
    const underWay = new Promise<void>((resolve) => (finish = resolve));
    const { pokes, reader: r } = reader(underWay);
    let done = false;
    const waited = afterCommit(notices, r, '71').then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    finish();
    await waited;
    expect(pokes.count).toBe(0);
  });

  it('pokes when the notice came but no read is under way any more (it found the activity not yet settled)', async () => {
    const { notices } = counted();
    notices.told('72');
    const { pokes, reader: r } = reader(null);
    await afterCommit(notices, r, '72');
    expect(pokes.count).toBe(1);
  });

  it('resolves at once, without a poke, for an activity handed out already', async () => {
    const { notices } = counted();
    await notices.read(
      readOf(['73'], () => undefined),
      (ids) => ids,
    );
    const { pokes, reader: r } = reader(new Promise<void>(() => undefined));
    await afterCommit(notices, r, '73');
    expect(pokes.count).toBe(0);
  });
});
