/**
 * A small read-through cache for public, non-personal reads (case lists, facets, one case, a
 * thread's pages, the hubs' Atom feeds). Each entry carries tags naming what it shows (the case,
 * its hubs, the lists…, see cache-tags.ts); the cache plugin drops the entries whose tags a
 * committed activity touches (each node's outbox reader sees every activity), and entries expire
 * after a few seconds for changes that publish none. An entry given no tags is dropped by every
 * invalidation, as all entries used to be.
 * Concurrent misses for one key share a single load; a load that raced an invalidation of one of
 * its tags is returned but not kept.
 */
import type { FastifyReply } from 'fastify';
import { startLoad } from './shared-load.ts';

export interface PublicCacheStats {
  /** Answered from memory. */
  hits: number;
  /** Loaded (read from the database). */
  misses: number;
  /** Waited for a load another request had started. */
  shared: number;
  /** Entries dropped by an invalidation. */
  invalidated: number;
}

export interface PublicCache {
  get<T>(key: string, load: () => Promise<T>, tags?: readonly string[]): Promise<T>;
  /**
   * Sends the JSON of `load()` through the route's serializer, keeping the serialized bytes: a hit
   * writes the same UTF-8 buffer again, with no serializing or text encoding per request.
   */
  send(reply: FastifyReply, key: string, load: () => Promise<unknown>, tags?: readonly string[]): Promise<FastifyReply>;
  /** Sends the text of `load()` as is, with that content type (Atom, calendars), keeping its bytes. */
  sendText(
    reply: FastifyReply,
    key: string,
    contentType: string,
    load: () => Promise<string>,
    tags?: readonly string[],
  ): Promise<FastifyReply>;
  /** Drops the entries carrying any of these tags (and those without tags). */
  invalidate(tags: readonly string[]): void;
  clear(): void;
  stats(): PublicCacheStats;
  /** Whether a fresh entry is kept under this key (tests of what an invalidation drops). */
  cached(key: string): boolean;
}

const TTL_MS = 5000;
const MAX_ENTRIES = 2000;
/** The tag of entries given none: every invalidation drops them. */
const UNTAGGED = '*';

interface Entry {
  value: unknown;
  expires: number;
  tags: readonly string[];
}

export function createPublicCache(now: () => number = Date.now): PublicCache {
  const entries = new Map<string, Entry>();
  const byTag = new Map<string, Set<string>>();
  const loading = new Map<string, { promise: Promise<unknown>; tags: readonly string[]; stale: boolean }>();
  const stats: PublicCacheStats = { hits: 0, misses: 0, shared: 0, invalidated: 0 };

  function drop(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const tag of entry.tags) byTag.get(tag)?.delete(key);
  }

  function keep(key: string, value: unknown, tags: readonly string[]) {
    drop(key);
    if (entries.size >= MAX_ENTRIES) drop(entries.keys().next().value as string);
    entries.set(key, { value, expires: now() + TTL_MS, tags });
    for (const tag of tags) {
      const keys = byTag.get(tag);
      if (keys) keys.add(key);
      else byTag.set(tag, new Set([key]));
    }
  }

  const cache: PublicCache = {
    async send(reply, key, load, tags) {
      const body = await cache.get(key, async () => Buffer.from(reply.serialize(await load()) as string, 'utf8'), tags);
      return reply.type('application/json; charset=utf-8').send(body);
    },
    async sendText(reply, key, contentType, load, tags) {
      const body = await cache.get(key, async () => Buffer.from(await load(), 'utf8'), tags);
      return reply.type(contentType).send(body);
    },
    get<T>(key: string, load: () => Promise<T>, tags: readonly string[] = [UNTAGGED]): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) {
        stats.hits += 1;
        return Promise.resolve(hit.value as T);
      }
      const pending = loading.get(key);
      if (pending) {
        stats.shared += 1;
        return pending.promise as Promise<T>;
      }
      stats.misses += 1;
      const state = { promise: undefined as unknown as Promise<unknown>, tags, stale: false };
      return startLoad<unknown, typeof state>(loading, key, state, load, (value) =>
        keep(key, value, tags),
      ) as Promise<T>;
    },
    invalidate(tags) {
      for (const tag of [...tags, UNTAGGED]) {
        const keys = byTag.get(tag);
        if (!keys) continue;
        for (const key of [...keys]) {
          drop(key);
          stats.invalidated += 1;
        }
      }
      const touched = new Set([...tags, UNTAGGED]);
      for (const [key, state] of loading) {
        if (state.tags.some((tag) => touched.has(tag))) {
          state.stale = true;
          loading.delete(key);
        }
      }
    },
    clear() {
      stats.invalidated += entries.size;
      entries.clear();
      byTag.clear();
      for (const state of loading.values()) state.stale = true;
      loading.clear();
    },
    stats: () => ({ ...stats }),
    cached(key) {
      const entry = entries.get(key);
      return entry !== undefined && entry.expires > now();
    },
  };
  return cache;
}
