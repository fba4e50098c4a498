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
   * What the reader knows of an activity lately: handed out; or its notice came (a read that
   * began after it, or the read it came during and the reads that read asks for, hands it out
   * or finds it not yet settled); or nothing.
   */
  status(id: string): 'handedOut' | 'heard' | 'unknown';
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
  const heard = new Set<string>();
  const keep = (ids: Set<string>, id: string) => {
    ids.add(id);
    if (ids.size > RECENT) ids.delete(ids.values().next().value!);
  };
  return {
    told(id) {
      if (recent.has(id)) return;
      keep(heard, id);
      if (during) during.add(id);
      else askForRead();
    },
    status(id) {
      if (recent.has(id)) return 'handedOut';
      return heard.has(id) ? 'heard' : 'unknown';
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
        heard.delete(id);
        keep(recent, id);
      }
      return { result, missed: told.size > 0 };
    },
  };
}

/**
 * After a local commit that wrote activity `id` (the outbox bus's pokeAfter): at once when it was
 * handed out already; the reads under way when its notice came first (they hand it out, or find it
 * not yet settled, as another read would); otherwise a poke. So the writer's poke starts no read
 * after the one its commit's notice started.
 */
export function afterCommit(
  notices: ReadNotices,
  reader: { poke(): Promise<void>; current(): Promise<void> | null },
  id: string,
): Promise<void> {
  const known = notices.status(id);
  if (known === 'handedOut') return Promise.resolve();
  return (known === 'heard' && reader.current()) || reader.poke();
}
