/**
 * What changed, for the caches every node keeps in memory (sessions, what is a reader's own in a
 * thread, the public read cache's tags). Changes arrive as `<topic>:<key>` messages on the
 * database's `invalidations` channel, from triggers (rows of members, sessions, blocks, read
 * markers and reactions) and from services (`publish`), when their transaction commits, on every
 * node. A node that made a change also tells its own caches at once (`local`), so its next request
 * never waits for the notification. `sync` is a barrier: it resolves once every message committed
 * before it has reached this node's listeners (PostgreSQL delivers notifications in commit order).
 */
export type InvalidationListener = (key: string) => void;

export interface InvalidationBus {
  on(topic: string, listener: InvalidationListener): void;
  /** Tells this node's listeners now (after a commit made here); other nodes hear the notification. */
  local(topic: string, key: string): void;
  /** Tells every node: this one now, all of them (this one again) once the notification arrives. */
  publish(topic: string, key: string): Promise<void>;
  /** Resolves once every invalidation committed before the call has reached this node. */
  sync(): Promise<void>;
  /**
   * Messages may have been missed (the listening connection was lost): every listener of every
   * topic hears the key ALL, and drops everything it holds.
   */
  missed(): void;
}

/** The key every listener may hear (`missed`): "drop everything" (after a lost connection). */
export const ALL = '*';

export function createInvalidationBus(send: (topic: string, key: string) => Promise<void>) {
  const listeners = new Map<string, InvalidationListener[]>();
  const barriers = new Map<string, () => void>();
  let counter = 0;

  function deliver(topic: string, key: string) {
    for (const listener of listeners.get(topic) ?? []) listener(key);
  }

  const bus: InvalidationBus & { receive(payload: string): void } = {
    on(topic, listener) {
      const list = listeners.get(topic);
      if (list) list.push(listener);
      else listeners.set(topic, [listener]);
    },
    local: deliver,
    async publish(topic, key) {
      deliver(topic, key);
      await send(topic, key);
    },
    async sync() {
      counter += 1;
      const id = `${process.pid}-${Date.now().toString(36)}-${counter}`;
      const arrived = new Promise<void>((resolve) => barriers.set(id, resolve));
      await send('sync', id);
      await arrived;
    },
    missed() {
      for (const topic of listeners.keys()) deliver(topic, ALL);
    },
    /** A message from the channel. */
    receive(payload) {
      const colon = payload.indexOf(':');
      if (colon < 0) return;
      const topic = payload.slice(0, colon);
      const key = payload.slice(colon + 1);
      if (topic === 'sync') {
        barriers.get(key)?.();
        barriers.delete(key);
        return;
      }
      deliver(topic, key);
    },
  };
  return bus;
}
