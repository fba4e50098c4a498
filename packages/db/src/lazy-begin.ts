/**
 * A transaction's `begin` goes out with its first statement: one round trip less for every
 * transaction whose first statement has no parameters (the outbox writers' lock, which every
 * writer of activities takes first, is written so). `begin` alone is answered at once and not
 * sent; the connection's next statement then goes as `begin;` followed by its text, in one
 * simple-protocol message, when it has no parameters. Otherwise `begin` is sent just before it; the
 * pool's connections are in pg's pipeline mode (database.ts), so the statement follows at once
 * without waiting for `begin`'s answer: one round trip either way. A `commit` or `rollback` with
 * nothing sent since `begin` is answered without a round trip: there was nothing to end.
 *
 * Nothing else changes. PostgreSQL runs a simple-protocol message's statements in order, so the
 * statement runs inside the transaction as it did after a `begin` of its own. If it fails, the
 * transaction is aborted as before and its user's rollback ends it; if the message does not parse,
 * nothing ran (not even `begin`), and that rollback is answered with PostgreSQL's warning that no
 * transaction was in progress. The answer is the statement's own (pg's list of results when its
 * text held several, `begin`'s left out). `now()` is the transaction's start: the first statement's
 * arrival instead of the `begin`'s, microseconds later.
 */
import type pg from 'pg';

type QueryCallback = (error: Error | null, result?: unknown) => void;
type Query = (...args: unknown[]) => unknown;

/** What `begin`, `commit` and `rollback` answer when they are not sent (all pg's and Kysely's callers read). */
function unsent(command: 'BEGIN' | 'COMMIT' | 'ROLLBACK') {
  return { command, rowCount: null, oid: null, rows: [], fields: [] };
}

/** The statement's answer out of those of `begin;` + its text (pg gives a list for several statements). */
function withoutBegin(result: unknown): unknown {
  if (!Array.isArray(result)) return result;
  const rest = result.slice(1);
  return rest.length === 1 ? rest[0] : rest;
}

/** `begin`, `commit` or `rollback` as a text may say it (a longer text is none of them: not even trimmed). */
const keyword = (text: string) => (text.length > 24 ? '' : text.trim().replace(/;$/, '').trim().toLowerCase());

/** A pg Client class (for `new pg.Pool({ Client })`) whose `begin` goes out with the next statement. */
export function lazyBegin(Base: typeof pg.Client): typeof pg.Client {
  return class LazyBeginClient extends Base {
    /** `begin` was asked for and not sent yet. */
    #beginPending = false;

    override query(...args: unknown[]): never {
      const [text, values, callback] = args;
      const send = (...a: unknown[]) => (super.query as Query)(...a) as never;
      // A text without parameters: (text), (text, callback) or (text, [], callback?).
      const simple =
        typeof text === 'string' &&
        (values === undefined || typeof values === 'function' || (Array.isArray(values) && !values.length));
      const cb = typeof values === 'function' ? values : callback;
      const answer = (result: unknown): never => {
        if (typeof cb === 'function') {
          queueMicrotask(() => (cb as QueryCallback)(null, result));
          return undefined as never;
        }
        return Promise.resolve(result) as never;
      };
      if (!this.#beginPending) {
        if (simple && keyword(text) === 'begin') {
          this.#beginPending = true;
          return answer(unsent('BEGIN'));
        }
        return send(...args);
      }
      this.#beginPending = false;
      if (simple) {
        const word = keyword(text);
        if (word === 'commit' || word === 'rollback') return answer(unsent(word === 'commit' ? 'COMMIT' : 'ROLLBACK'));
        if (typeof cb === 'function') {
          return send(`begin;\n${text}`, (error: Error | null, result?: unknown) =>
            (cb as QueryCallback)(error, error ? result : withoutBegin(result)),
          );
        }
        return (send(`begin;\n${text}`) as Promise<unknown>).then(withoutBegin) as never;
      }
      // Sent first, this statement right behind it (pipeline mode; without it, once `begin` is
      // answered). A `begin` fails only with the connection, and then so does the statement behind
      // it, which its caller hears of.
      (send('begin') as Promise<unknown>).catch(() => undefined);
      return send(...args);
    }
  };
}
