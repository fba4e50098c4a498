/**
 * Loads that begin after they are asked for, shared per key: a caller who comes while a load of its
 * key is under way waits for the next one, which everyone who came meanwhile shares, never for a
 * load that began before it came. So the value holds every change committed before the call (a
 * thread's catch-up: every post committed before the client asked), while a rush of identical
 * requests (clients catching up after a node restarted) costs one load at a time per key, and one
 * more waiting.
 */
export interface FreshLoads {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function freshLoads(): FreshLoads {
  /** The load under way per key, and the one asked for meanwhile (to start when it ends). */
  const running = new Map<string, Promise<unknown>>();
  const next = new Map<string, Promise<unknown>>();

  function start<T>(key: string, load: () => Promise<T>): Promise<T> {
    const promise = load().finally(() => {
      if (running.get(key) === promise) running.delete(key);
    });
    running.set(key, promise);
    return promise;
  }

  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const queued = next.get(key);
      if (queued) return queued as Promise<T>;
      const current = running.get(key);
      if (!current) return start(key, load);
      const after = current
        .catch(() => undefined)
        .then(() => {
          next.delete(key);
          return start(key, load);
        });
      next.set(key, after);
      return after;
    },
  };
}
