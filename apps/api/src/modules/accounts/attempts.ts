/**
 * The sign-in budgets: failed sign-ins per address, and per (account, address). Only failures
 * count, so people behind one office address never lock each other out by signing in; an attacker
 * spends their own address's budget, never the victim's (the account's counter is keyed by
 * address too). The counters live in PostgreSQL (sign_in_failures), so every node of a cluster
 * shares them. Each attempt takes its place before the password is checked (a burst of parallel
 * guesses cannot slip past the budget) and a success gives it back.
 */
import type { Executor } from '@opsi/db/executor';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { sessionIdOf } from '../../plugins/session.ts';
import * as repo from './attempts/repository.ts';

export interface SignInBudget {
  /** Failures allowed per address in a window. */
  perAddress: number;
  /** Failures allowed per account from one address in a window. */
  perAccount: number;
  windowMs: number;
}

export interface Attempt {
  /** Seconds to wait when the attempt is refused, or 0 when it may go ahead. */
  wait: number;
  /** The password was right: the attempt costs nothing, and the account's failures are forgotten. */
  succeeded(): Promise<void>;
}

export function createSignInLimits(db: Executor, budget: SignInBudget, now: Clock = systemClock) {
  return {
    /** Takes an attempt from both budgets; refused (and given back) when either is spent. */
    async attempt(email: string, ip: string): Promise<Attempt> {
      const address = sessionIdOf(`address|${ip}`);
      const account = sessionIdOf(`account|${email.trim().toLowerCase()}|${ip}`);
      const at = now();
      const counters = await repo.takeAttempts(db, [address, account], at, budget.windowMs);
      const max = (key: string) => (key === address ? budget.perAddress : budget.perAccount);
      const over = counters.filter((c) => c.count > max(c.key));
      if (over.length) {
        await repo.giveBackAttempts(db, [address, account]);
        const wait = Math.max(...over.map((c) => Math.ceil((c.resetAt.getTime() - at.getTime()) / 1000)));
        return { wait: Math.max(wait, 1), succeeded: async () => undefined };
      }
      return {
        wait: 0,
        async succeeded() {
          await repo.giveBackAttempts(db, [address]);
          await repo.clearAttempts(db, [account]);
        },
      };
    },

    sweep: () => repo.deleteExpiredAttempts(db, now()),
  };
}
