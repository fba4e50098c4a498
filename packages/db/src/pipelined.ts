/**
 * A transaction whose statements are all known before it starts, sent in one round trip: `begin`,
 * the statements and `commit` go out together on one connection (pg's pipeline mode, which the
 * pool's connections are in), and PostgreSQL runs them in order, each answered in turn. Nothing
 * waits for an answer before the next statement leaves, where a Kysely transaction waits for each.
 *
 * All or nothing, as in any transaction: a statement that fails aborts the transaction, those
 * behind it fail without running, and the `commit` behind them ends it as a rollback (PostgreSQL
 * answers a commit of an aborted transaction so). The first failure is what the caller hears of;
 * a commit that fails is heard of too. A connection whose `commit` went unanswered (cut, or ended)
 * is destroyed, not given back to the pool; one whose `commit` was answered is back outside any
 * transaction, so it is given back.
 *
 * Where no pool is known for the Kysely instance (the embedded PGlite, a Kysely with plugins, a
 * transaction), the statements run one after another in a Kysely transaction: the same result,
 * one round trip each.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type pg from 'pg';

/** The pool behind each Kysely instance createDatabase made over PostgreSQL. */
const pools = new WeakMap<object, pg.Pool>();

/** Says which pool a Kysely instance runs on (database.ts): its transactions may then be pipelined. */
export function pipelineOver<S>(kysely: Kysely<S>, pool: pg.Pool): void {
  pools.set(kysely, pool);
}

/** The rows each statement answered, in the order given. */
export type PipelinedRows = Record<string, unknown>[][];

/** Runs `statements` in one transaction, in one round trip where it can (see above). */
export async function pipelinedTransaction<S>(
  kysely: Kysely<S>,
  statements: readonly CompiledQuery[],
): Promise<PipelinedRows> {
  const pool = kysely.isTransaction ? undefined : pools.get(kysely);
  if (!pool) {
    return kysely.transaction().execute(async (trx) => {
      const rows: PipelinedRows = [];
      for (const statement of statements) rows.push((await trx.executeQuery(statement)).rows as PipelinedRows[number]);
      return rows;
    });
  }
  const client = await pool.connect();
  // Sent now, one behind the other; answered in the same order.
  const begun = client.query('begin');
  const sent = statements.map((s) => client.query(s.sql, s.parameters as unknown[]));
  const committed = client.query('commit');
  const [begin, ...answers] = await Promise.allSettled([begun, ...sent]);
  const commit = await committed.then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  client.release(commit.ok ? undefined : (commit.error as Error));
  const failed = [begin!, ...answers].find((answer) => answer.status === 'rejected');
  if (failed) throw failed.reason;
  if (!commit.ok) throw commit.error;
  if (commit.result.command !== 'COMMIT') {
    throw new Error(`the pipelined transaction ended with ${commit.result.command}, not COMMIT`);
  }
  return answers.map((answer) => (answer as PromiseFulfilledResult<pg.QueryResult>).value.rows);
}
