/**
 * "Poke, drain, run again if poked while running": the loop behind every reader that is woken by
 * notifications, timers and local writes (the outbox reader, the job runner, the notifier). At
 * most one run is under way; pokes that arrive meanwhile ask for one more run after it, however
 * many they are, so a rush of writers shares the next run instead of queueing one run each.
 */
export interface SingleFlight {
  /**
   * Starts a run, or asks for one more after the current run. Resolves once a run that began after
   * this call has ended (a writer that pokes after its commit knows its change was seen). Never
   * rejects: a failed run is reported to `onError`, and a run asked for meanwhile still happens.
   */
  poke(): Promise<void>;
  /** The runs under way (with those asked for meanwhile): resolves when they have ended; null when none is. */
  current(): Promise<void> | null;
  /** Refuses new runs and resolves when the current one has ended. */
  close(): Promise<void>;
}

export function singleFlight(run: () => Promise<void>, onError: (error: unknown) => void): SingleFlight {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function loop() {
    try {
      do {
        again = false;
        try {
          await run();
        } catch (error) {
          onError(error);
        }
      } while (again && !closed);
    } finally {
      running = null;
    }
  }

  return {
    poke() {
      if (closed) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    current: () => running,
    async close() {
      closed = true;
      await running;
    },
  };
}
