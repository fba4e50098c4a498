/**
 * Statements sent again and again are prepared on each connection, as pgjdbc (prepareThreshold) and
 * Npgsql (auto-prepare) do: once a statement's text has been sent `after` times in this process, a
 * connection sends it as a named statement. PostgreSQL then parses it once per connection, and
 * plans it once too when its plan cache finds a generic plan as good as the custom ones (its own
 * rule, `plan_cache_mode = auto`). On a new post that is most of the server's time for the write
 * and for the outbox read after it (their parse and plan took longer than running them).
 *
 * Bounded: at most `max` statements per connection (later ones go unnamed, as before), and only
 * statements with parameters (the others, `begin` and `commit`, go by the simple protocol).
 *
 * Never prepared: an INSERT … ON CONFLICT whose conflict target has a WHERE with a parameter. PostgreSQL
 * finds the partial unique index it names by proving that WHERE when it plans; a generic plan does
 * not know the parameter's value and fails ("there is no unique or exclusion constraint matching
 * the ON CONFLICT specification"), so such a statement keeps its custom plan, unnamed.
 *
 * A prepared statement whose result columns change under it (`select *` after a migration added a
 * column, on a node that was already running) fails once with "cached plan must not change result
 * type": every connection of the process then prepares under new names (the old ones stay unused
 * until their connection closes).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface PreparingOptions {
  /** The most statements prepared on one connection; 0 prepares none. */
  max: number;
  /** How often a text is sent in this process before connections prepare it. */
  after: number;
}

/** Statements prepared per connection unless DB_PREPARED_STATEMENTS says otherwise. */
export const PREPARED_STATEMENTS = 100;

/** Texts counted at most (the count starts again beyond: it only decides what is hot). */
const COUNTED_MAX = 5000;

/** PostgreSQL's error when a prepared statement's result row type changed (a DDL under it). */
export function isChangedResultType(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === '0A000' && String(e.message).includes('cached plan must not change result type');
}

/** ON CONFLICT (…) WHERE … with a parameter before its DO: see above. */
const PARAMETER_IN_CONFLICT_TARGET = /\bon\s+conflict\s*\([^)]*\)\s*where\b(?:(?!\bdo\b)[\s\S])*?\$\d/i;

/** Whether a text may be prepared: no parameter in an ON CONFLICT target. */
export function mayPrepare(text: string): boolean {
  return !PARAMETER_IN_CONFLICT_TARGET.test(text);
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/** A pg Client class (for `new pg.Pool({ Client })`) whose connections prepare hot statements. */
export function preparingClient(options: PreparingOptions): typeof pg.Client {
  const uses = new Map<string, number>();
  let epoch = 0;

  // Once per statement a connection prepares. NAMEDATALEN is 64: "k", the epoch and 27 characters
  // of hash stay well within it.
  const nameOf = (text: string) => `k${epoch}_${createHash('sha1').update(text).digest('base64url')}`;

  return class PreparingClient extends pg.Client {
    /** This connection's prepared statements: text → name. */
    #prepared = new Map<string, string>();
    #epoch = epoch;

    // pg's overloads: only (text, values[], callback?) is changed; everything else passes through.
    override query(...args: unknown[]): never {
      const [text, values, callback] = args;
      const pass = () => (super.query as (...a: unknown[]) => never)(...args);
      if (options.max <= 0 || typeof text !== 'string' || !Array.isArray(values) || values.length === 0) {
        return pass();
      }
      if (this.#epoch !== epoch) {
        this.#prepared.clear();
        this.#epoch = epoch;
      }
      let name = this.#prepared.get(text);
      if (!name) {
        if (!mayPrepare(text)) return pass();
        const count = (uses.get(text) ?? 0) + 1;
        if (uses.size >= COUNTED_MAX && count === 1) uses.clear();
        uses.set(text, count);
        if (count < options.after || this.#prepared.size >= options.max) return pass();
        name = nameOf(text);
        this.#prepared.set(text, name);
      }
      const config = { name, text, values };
      const onError = (error: unknown) => {
        if (isChangedResultType(error) && this.#epoch === epoch) epoch += 1;
      };
      if (typeof callback === 'function') {
        return (super.query as (...a: unknown[]) => never)(config, (error: Error | null, result?: unknown) => {
          if (error) onError(error);
          (callback as QueryCallback)(error, result);
        });
      }
      const result = (super.query as (...a: unknown[]) => Promise<unknown>)(config);
      return result.catch((error: unknown) => {
        onError(error);
        throw error;
      }) as never;
    }
  };
}
