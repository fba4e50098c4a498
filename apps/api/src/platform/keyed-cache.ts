/**
 * A bounded in-memory map whose entries live `ttlMs` at most (the safety net: the owners drop
 * entries when what they hold changes). Concurrent loads of one key share one promise; a load that
 * raced a `delete`, `deleteWhere` or `clear` is returned to its callers but not kept, so an entry
 * read before a change never outlives the change's invalidation. Past `maxEntries`, the oldest
 * entry goes first.
 */
import { startLoad } from './shared-load.ts';

export interface KeyedCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Monotonic milliseconds (performance.now by default). */
  now?: () => number;
}

export interface KeyedCache<V> {
  /** The value while it is fresh. */
  get(key: string): V | undefined;
  /** The fresh value, or what `load` finds (kept unless undefined or invalidated meanwhile). */
  load(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Replaces a fresh entry's value (its expiry stays); nothing when there is no entry. */
  update(key: string, value: V): void;
  /** Keeps a value for the key from now (not when entries live 0 ms). */
  put(key: string, value: V): void;
  delete(key: string): void;
  /** Deletes the entries the predicate picks; loads under way are not kept (their key may match). */
  deleteWhere(pick: (key: string, value: V) => boolean): void;
  clear(): void;
  readonly size: number;
}

export function createKeyedCache<V>({
  ttlMs,
  maxEntries,
  now = () => performance.now(),
}: KeyedCacheOptions): KeyedCache<V> {
  const entries = new Map<string, { value: V; expires: number }>();
  const loading = new Map<string, { promise: Promise<V | undefined>; stale: boolean }>();

  const cache: KeyedCache<V> = {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expires > now()) return hit.value;
      entries.delete(key);
      return undefined;
    },
    load(key, load) {
      const hit = cache.get(key);
      if (hit !== undefined) return Promise.resolve(hit);
      const pending = loading.get(key);
      if (pending) return pending.promise;
      const state = { promise: undefined as unknown as Promise<V | undefined>, stale: false };
      return startLoad(loading, key, state, load, (value) => {
        if (value !== undefined) cache.put(key, value);
      });
    },
    put(key, value) {
      if (ttlMs <= 0) return;
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expires: now() + ttlMs });
    },
    update(key, value) {
      const hit = entries.get(key);
      if (hit) hit.value = value;
    },
    delete(key) {
      entries.delete(key);
      const pending = loading.get(key);
      if (pending) {
        pending.stale = true;
        loading.delete(key);
      }
    },
    deleteWhere(pick) {
      for (const [key, entry] of entries) if (pick(key, entry.value)) entries.delete(key);
      for (const pending of loading.values()) pending.stale = true;
      loading.clear();
    },
    clear() {
      entries.clear();
      for (const pending of loading.values()) pending.stale = true;
      loading.clear();
    },
    get size() {
      return entries.size;
    },
  };
  return cache;
}
