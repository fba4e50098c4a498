/**
 * The outbox reader's notices (NOTIFY on each committed activity, its id as payload) that come
 * while a read is under way. That read may have begun before their commit, so before, each one
 * asked for another read at once. A writer on this node pokes the reader right after its commit,
 * so its own notice nearly always came during the read that handed its activity out, and a second
 * read, finding nothing, ran just as that activity's fan-out began. Now such a notice is kept for
 * the read under way to check: another read follows only if an activity it told of was not handed
 * out by that read (not yet settled, refused by the catalogue, or committed after the read began).
 */
export interface ReadNotices {
  /** A notice: true when no read is under way (the caller starts or asks for one). */
  told(id: string): boolean;
  /**
   * Runs one read. `missed` is true when a notice came during it for an activity that is not among
   * those the read handed out (`handedOut`): the caller reads again.
   */
  read<T>(run: () => Promise<T>, handedOut: (result: T) => Iterable<string>): Promise<{ result: T; missed: boolean }>;
}

export function readNotices(): ReadNotices {
  let during: Set<string> | null = null;
  return {
    told(id) {
      if (!during) return true;
      during.add(id);
      return false;
    },
    async read(run, handedOut) {
      const told = new Set<string>();
      during = told;
      let result;
      try {
        result = await run();
      } finally {
        during = null;
      }
      for (const id of handedOut(result)) told.delete(id);
      return { result, missed: told.size > 0 };
    },
  };
}
