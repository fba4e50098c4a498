/**
 * Buffers to gather an answer's pieces into before one write, used again once that write is done.
 * Writing a signed-in thread page as its ~40 pieces (views of the kept page and the reader's own
 * fields) cost more in the kernel than copying them together: each piece is one more segment of a
 * writev (measured in the reads bench's profile: ~19 µs more per 38 KB answer). A new 38 KB buffer
 * per answer costs more still (V8 and the allocator: Buffer.concat was several times slower in the
 * same test), so the buffers are kept: at most `keep` of them, each of `size` bytes; a larger answer
 * gets one of its own.
 */
export interface Scratch {
  /** The pieces copied into one buffer: its view of their bytes, and what to call once it was written. */
  gather(pieces: readonly Buffer[], length: number): { bytes: Buffer; release: () => void };
  /** Buffers waiting to be used (tests). */
  idle(): number;
}

export function createScratch({ size = 64 * 1024, keep = 32 } = {}): Scratch {
  const free: Buffer[] = [];
  return {
    gather(pieces, length) {
      const own = length > size;
      const buffer = own ? Buffer.allocUnsafe(length) : (free.pop() ?? Buffer.allocUnsafe(size));
      let at = 0;
      for (const piece of pieces) at += piece.copy(buffer, at);
      if (at !== length) throw new Error(`pieces of ${at} bytes where ${length} were announced`);
      let released = own;
      return {
        bytes: buffer.subarray(0, length),
        release() {
          // Once only, and never one a write may still read: the caller releases on its write's end.
          if (released) return;
          released = true;
          if (free.length < keep) free.push(buffer);
        },
      };
    },
    idle: () => free.length,
  };
}
