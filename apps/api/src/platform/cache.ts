/**
 * A small read-through cache for public, non-personal reads (case lists, facets, one case, a
 * thread's pages, the hubs' Atom feeds). Each entry carries tags naming what it shows (the case,
 * its hubs, the lists…, see cache-tags.ts); the cache plugin drops the entries whose tags a
 * committed activity touches (each node's outbox reader sees every activity), and entries expire
 * after a few seconds for changes that publish none. An entry given no tags is dropped by every
 * invalidation, as all entries used to be.
 * Concurrent misses for one key share a single load; a load that raced an invalidation of one of
 * its tags is returned but not kept.
 * An entry sent as bytes (`send`, `sendText`) can also keep whole answers made from those bytes
 * (`keepAnswer`: the headers the pipeline set, one per request line and Accept-Encoding), which
 * the front (plugins/front.ts) replays before Fastify; such an answer lives exactly as long as its
 * entry.
 */
import type { FastifyReply } from 'fastify';
import type { Role } from '@opsi/contracts/accounts';
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
  /**
   * Says that a reply's body was made from the entry `value` kept under `key` (a signed-in answer
   * made from a public entry), so `keepAnswer` may keep how it was made.
   */
  madeFrom(reply: FastifyReply, key: string, value: unknown, compose: (viewer: Viewer) => Buffer[] | undefined): void;
  /**
   * Keeps under `variant`, for `answer`, the answer a reply sent to someone anonymous from an
   * entry's bytes (`send`, `sendText`; the payload must be those bytes), or to a member, made from
   * an entry (`madeFrom`): only while that entry, with that very value, is the one kept. Whether it
   * kept it.
   */
  keepAnswer(
    reply: FastifyReply,
    payload: unknown,
    variant: { key: string; member: boolean },
    answer: () => Pick<KeptAnswer, 'head' | 'route'>,
  ): boolean;
  /** The answer kept under `variant`, while its entry is fresh. */
  answer(variant: string): KeptAnswer | undefined;
  /** Counts a read answered with a kept answer as a hit. */
  answered(): void;
  /** Drops the entries carrying any of these tags (and those without tags). */
  invalidate(tags: readonly string[]): void;
  clear(): void;
  stats(): PublicCacheStats;
  /** Whether a fresh entry is kept under this key (tests of what an invalidation drops). */
  cached(key: string): boolean;
}

/** Whom a signed-in answer is made for. */
export interface Viewer {
  id: string;
  role: Role;
}

/**
 * A whole 200 answer as sent: its headers (name, value, name, value…, without the per-request
 * ones) and its bytes, or, for a signed-in reader, how to make its bytes for another reader from the
 * same entry (undefined when that needs more than memory).
 */
export interface KeptAnswer {
  head: string[];
  body?: Buffer;
  compose?(viewer: Viewer): Buffer[] | undefined;
  /** The route's pattern (metrics). */
  route: string;
}

const MAX_ENTRIES = 2000;
/** The tag of entries given none: every invalidation drops them. */
const UNTAGGED = '*';

interface Entry {
  value: unknown;
  expires: number;
  tags: readonly string[];
  /** Variants of answers kept from this entry (keepAnswer). */
  variants?: string[];
}

/** `ttlMs`: how long an entry lives at most (PUBLIC_CACHE_SECONDS). */
export function createPublicCache(now: () => number = Date.now, ttlMs = 5000): PublicCache {
  const entries = new Map<string, Entry>();
  const byTag = new Map<string, Set<string>>();
  const loading = new Map<string, { promise: Promise<unknown>; tags: readonly string[]; stale: boolean }>();
  const stats: PublicCacheStats = { hits: 0, misses: 0, shared: 0, invalidated: 0 };
  /** What each reply sent from an entry's bytes: which entry, which bytes. */
  const sent = new WeakMap<
    FastifyReply,
    { key: string; value: unknown; compose?: (viewer: Viewer) => Buffer[] | undefined }
  >();
  const answers = new Map<string, { entry: Entry; answer: KeptAnswer }>();

  function drop(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const tag of entry.tags) byTag.get(tag)?.delete(key);
    for (const variant of entry.variants ?? []) answers.delete(variant);
  }

  function keep(key: string, value: unknown, tags: readonly string[]) {
    drop(key);
    if (entries.size >= MAX_ENTRIES) drop(entries.keys().next().value as string);
    entries.set(key, { value, expires: now() + ttlMs, tags });
    for (const tag of tags) {
      const keys = byTag.get(tag);
      if (keys) keys.add(key);
      else byTag.set(tag, new Set([key]));
    }
  }

  const cache: PublicCache = {
    async send(reply, key, load, tags) {
      const body = await cache.get(key, async () => Buffer.from(reply.serialize(await load()) as string, 'utf8'), tags);
      sent.set(reply, { key, value: body });
      return reply.type('application/json; charset=utf-8').send(body);
    },
    async sendText(reply, key, contentType, load, tags) {
      const body = await cache.get(key, async () => Buffer.from(await load(), 'utf8'), tags);
      sent.set(reply, { key, value: body });
      return reply.type(contentType).send(body);
    },
    madeFrom(reply, key, value, compose) {
      sent.set(reply, { key, value, compose });
    },
    keepAnswer(reply, payload, variant, answer) {
      const from = sent.get(reply);
      const entry = from && entries.get(from.key);
      if (!from || !entry || entry.value !== from.value || entry.expires <= now()) return false;
      if (variant.member ? !from.compose : from.compose || payload !== from.value || !Buffer.isBuffer(payload)) {
        return false;
      }
      const previous = answers.get(variant.key)?.entry;
      if (previous && previous !== entry) previous.variants = previous.variants?.filter((v) => v !== variant.key);
      if (!entry.variants?.includes(variant.key)) (entry.variants ??= []).push(variant.key);
      const { compose } = from;
      answers.set(variant.key, {
        entry,
        answer: { ...answer(), ...(compose ? { compose } : { body: payload as Buffer }) },
      });
      return true;
    },
    answer(variant) {
      const kept = answers.get(variant);
      if (!kept) return undefined;
      if (kept.entry.expires <= now()) {
        answers.delete(variant);
        return undefined;
      }
      return kept.answer;
    },
    answered() {
      stats.hits += 1;
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
      answers.clear();
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
