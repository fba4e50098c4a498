/**
 * What is a reader's own in a thread (their reactions to its posts, where they stopped reading it,
 * the members they blocked), kept in memory per member and case for MEMBER_CACHE_SECONDS, so a
 * signed-in read of a thread sends no SQL. Kept right by forgetting a member's states: at once by
 * their own writes on this node (the service's react and markRead, the member tools' block and
 * unblock), and on every node when the database announces a change to their reactions, read
 * markers or blocks (the `reader` topic of the invalidation bus, plugin.ts). A state read while
 * its member was forgotten is returned but not kept.
 */
import type { Executor } from '@opsi/db/executor';
import { createKeyedCache } from '../../../platform/keyed-cache.ts';
import { readerState } from './repository.ts';

export interface ReaderState {
  /** Post id → the reader's reaction kinds on it, sorted. */
  mine: Map<string, string[]>;
  lastRead: string | null;
  /** Handles of the members the reader blocked. */
  blocked: Set<string>;
}

export interface ReaderStates {
  get(userId: string, slug: string): Promise<ReaderState>;
  /** The state while it is in memory, without reading the database. */
  peek(userId: string, slug: string): ReaderState | undefined;
  /** Drops everything kept about this member (every case). */
  forget(userId: string): void;
  /** Forgets every member's states (invalidations may have been missed). */
  forgetEveryone(): void;
}

/** Threads one member's states are kept for at most (the oldest read goes first). */
const CASES_PER_MEMBER = 50;

/** Without options: nothing is kept (every read asks the database). */
export function createReaderStates(
  db: Executor,
  options: { ttlMs: number; maxEntries: number } = { ttlMs: 0, maxEntries: 1 },
): ReaderStates {
  const members = createKeyedCache<Map<string, ReaderState>>(options);
  return {
    async get(userId, slug) {
      let states = members.get(userId);
      const hit = states?.get(slug);
      if (hit) return hit;
      if (!states) {
        states = new Map();
        members.put(userId, states);
      }
      const state = await readerState(db, userId, slug);
      if (members.get(userId) === states) {
        if (states.size >= CASES_PER_MEMBER) states.delete(states.keys().next().value as string);
        states.set(slug, state);
      }
      return state;
    },
    peek(userId, slug) {
      return members.get(userId)?.get(slug);
    },
    forget(userId) {
      members.delete(userId);
    },
    forgetEveryone() {
      members.clear();
    },
  };
}
