/**
 * Requests per address in fixed windows: the store of the per-address rate limit
 * (@fastify/rate-limit's store contract: `incr`, `read`, `child`), which the front (plugins/front.ts)
 * shares, so an answer it gives from memory counts against the same limit as any other request.
 * Same rules as the plugin's own LocalStore: a window starts at an address's first request and
 * lasts `timeWindow` ms. At most `capacity` addresses are kept (the oldest windows go first).
 */
type Done = (error: Error | null, result: { current: number; ttl: number }) => void;

interface Window {
  current: number;
  started: number;
}

export class AddressWindows {
  readonly #windows = new Map<string, Window>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(capacity = 5000, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#now = now;
  }

  /** Counts a request; `ttl`: ms left in the address's window. */
  count(key: string, timeWindow: number): { current: number; ttl: number } {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.started + timeWindow <= now) {
      if (window) this.#windows.delete(key);
      else if (this.#windows.size >= this.#capacity) this.#windows.delete(this.#windows.keys().next().value!);
      window = { current: 0, started: now };
      this.#windows.set(key, window);
    }
    window.current += 1;
    return { current: window.current, ttl: window.started + timeWindow - now };
  }

  /** Counts a request only if it stays within `max`; null (not counted) when it would not. */
  take(key: string, timeWindow: number, max: number): { current: number; ttl: number } | null {
    const window = this.#windows.get(key);
    if (window && window.started + timeWindow > this.#now() && window.current >= max) return null;
    return this.count(key, timeWindow);
  }

  incr(key: string, done: Done, timeWindow: number): void {
    done(null, this.count(key, timeWindow));
  }

  read(key: string, done: Done, timeWindow: number): void {
    const window = this.#windows.get(key);
    const now = this.#now();
    if (!window || window.started + timeWindow <= now) done(null, { current: 0, ttl: 0 });
    else done(null, { current: window.current, ttl: window.started + timeWindow - now });
  }

  /** A separate store for a route with its own limit. */
  child(): AddressWindows {
    return new AddressWindows(this.#capacity, this.#now);
  }
}
