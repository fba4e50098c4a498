/**
 * Counters for sign-in attempts, per address and per (account, address). An attacker can spend
 * their own address's budget, never the victim's: the account's counter is keyed by address too,
 * so nobody can lock someone else out. Kept in memory on each node.
 */
export interface AttemptWindow {
  max: number;
  windowMs: number;
}

export class AttemptCounter {
  readonly #entries = new Map<string, { count: number; resetAt: number }>();
  readonly #window: AttemptWindow;
  readonly #now: () => number;

  constructor(window: AttemptWindow, now: () => number = Date.now) {
    this.#window = window;
    this.#now = now;
  }

  /** Seconds until the key may try again, or 0 if it may now. */
  retryAfter(key: string): number {
    const entry = this.#entries.get(key);
    if (!entry) return 0;
    const now = this.#now();
    if (entry.resetAt <= now) {
      this.#entries.delete(key);
      return 0;
    }
    return entry.count >= this.#window.max ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  hit(key: string): void {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.#entries.size > 100_000) this.#sweep(now);
      this.#entries.set(key, { count: 1, resetAt: now + this.#window.windowMs });
    } else {
      entry.count += 1;
    }
  }

  clear(key: string): void {
    this.#entries.delete(key);
  }

  #sweep(now: number) {
    for (const [key, entry] of this.#entries) if (entry.resetAt <= now) this.#entries.delete(key);
  }
}
