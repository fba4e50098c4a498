/**
 * The outbox reader's notices (NOTIFY on each committed activity, its id as payload) that come
 * while a read is under way. That read may have begun before their commit, so before, each one
 * asked for another read at once. A writer on this node pokes the reader right after its commit,
 * so its own notice nearly always came during the read that handed its activity out, and a second
 * read, finding nothing, ran just as that activity's fan-out began. Now such a notice is kept for
 * the read under way to check: another read follows only if an activity it told of was not handed
 * out by that read (not yet settled, refused by the catalogue, or committed after the read began),
 * or if that read failed.
 *
 * A notice that comes after the read that handed its activity out (the reader's connection gave
 * the read's rows before the notice, or the emits that followed kept the notice waiting) asks for
 * nothing: the ids of the activities handed out lately are kept (RECENT of them) to tell.
 */
export interface ReadNotices {
  /** A notice: asks for a read at once when none is under way, else leaves it to the read. */
  told(id: string): void;
  /**
   * Runs one read. `missed` is true when a notice came during it for an activity that is not among
   * those the read handed out (`handedOut`): the caller reads again. A read that fails, with
   * notices told during it, asks for another read before its error goes on.
   */
  read<T>(run: () => Promise<T>, handedOut: (result: T) => Iterable<string>): Promise<{ result: T; missed: boolean }>;
}

/** How many of the ids handed out lately are kept, to leave their late notices unanswered. */
const RECENT = 1024;

export function readNotices(askForRead: () => void): ReadNotices {
  let during: Set<string> | null = null;
  const recent = new Set<string>();
  return {
    told(id) {
      if (recent.has(id)) return;
      if (during) during.add(id);
      else askForRead();
    },
    async read(run, handedOut) {
      const told = new Set<string>();
      during = told;
      let result;
      try {
        result = await run();
      } catch (error) {
        if (told.size > 0) askForRead();
        throw error;
      } finally {
        during = null;
      }
      for (const id of handedOut(result)) {
        told.delete(id);
        recent.add(id);
        if (recent.size > RECENT) recent.delete(recent.values().next().value!);
      }
      return { result, missed: told.size > 0 };
    },
  };
}
