/** The scratch buffers an answer's pieces are gathered into: the bytes in order, kept for the next answer once released. */
import { describe, expect, it } from 'vitest';
import { createScratch } from './scratch.ts';

const pieces = (...texts: string[]) => texts.map((text) => Buffer.from(text));

describe('scratch buffers', () => {
  it('gathers the pieces in order, and uses a released buffer again', () => {
    const scratch = createScratch({ size: 16, keep: 2 });
    const first = scratch.gather(pieces('{"a":', '1', '}'), 7);
    expect(first.bytes.toString()).toBe('{"a":1}');
    expect(scratch.idle()).toBe(0);
    first.release();
    first.release();
    expect(scratch.idle()).toBe(1);
    const second = scratch.gather(pieces('xy', 'z'), 3);
    expect(second.bytes.toString()).toBe('xyz');
    // The same memory: what the first answer held is written over.
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(scratch.idle()).toBe(0);
  });

  it('never keeps more than `keep`, nor a buffer made for an answer larger than `size`', () => {
    const scratch = createScratch({ size: 4, keep: 1 });
    const a = scratch.gather(pieces('ab'), 2);
    const b = scratch.gather(pieces('cd'), 2);
    const large = scratch.gather(pieces('efgh', 'ij'), 6);
    expect(large.bytes.toString()).toBe('efghij');
    large.release();
    expect(scratch.idle()).toBe(0);
    a.release();
    b.release();
    expect(scratch.idle()).toBe(1);
  });

  it('refuses pieces whose length is not the one announced', () => {
    expect(() => createScratch().gather(pieces('abc'), 4)).toThrow(/3 bytes where 4/);
  });
});
