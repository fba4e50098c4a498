/**
 * A small read-through cache for public, non-personal reads (case lists, facets, one case, the
 * hubs' Atom feeds). The cache plugin empties it on every committed activity (each node's outbox
 * reader sees every activity); entries also expire after a few seconds for changes that publish
 * none.
 * Concurrent misses for one key share a single load; a load that raced an invalidation is
 * returned but not kept.
 */
import type { FastifyReply } from 'fastify';

export interface PublicCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * Sends the JSON of `load()` through the route's serializer, keeping the serialized bytes: a hit
   * writes the same UTF-8 buffer again, with no serializing or text encoding per request.
   */
  send(reply: FastifyReply, key: string, load: () => Promise<unknown>): Promise<FastifyReply>;
  /** Sends the text of `load()` as is, with that content type (Atom, calendars), keeping its bytes. */
  sendText(reply: FastifyReply, key: string, contentType: string, load: () => Promise<string>): Promise<FastifyReply>;
  clear(): void;
}

const TTL_MS = 5000;
const MAX_ENTRIES = 2000;

export function createPublicCache(now: () => number = Date.now): PublicCache {
  const entries = new Map<string, { value: unknown; expires: number }>();
  const loading = new Map<string, Promise<unknown>>();
  let generation = 0;

  const cache: PublicCache = {
    async send(reply, key, load) {
      const body = await cache.get(key, async () => Buffer.from(reply.serialize(await load()) as string, 'utf8'));
      return reply.type('application/json; charset=utf-8').send(body);
    },
    async sendText(reply, key, contentType, load) {
      const body = await cache.get(key, async () => Buffer.from(await load(), 'utf8'));
      return reply.type(contentType).send(body);
    },
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as T;
      const pending = loading.get(key);
      if (pending) return pending as Promise<T>;
      const startedAt = generation;
      const promise = load().then(
        (value) => {
          loading.delete(key);
          if (generation === startedAt) {
            if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
            entries.set(key, { value, expires: now() + TTL_MS });
          }
          return value;
        },
        (error: unknown) => {
          loading.delete(key);
          throw error;
        },
      );
      loading.set(key, promise);
      return promise;
    },
    clear() {
      generation += 1;
      entries.clear();
      loading.clear();
    },
  };
  return cache;
}
