/**
 * The transparency report's counts, straight from the reports and the moderation log: only
 * months, closed lists of kinds and numbers leave this file, never a person, an id or a text.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface Range {
  /** The first instant counted (the start of the first month, UTC). */
  start: Date;
  /** The first instant not counted (the start of the month after the last). */
  end: Date;
}

export interface KindCount {
  month: string;
  kind: string;
  count: number;
}

export interface ResolutionRow {
  month: string;
  resolved: number;
  medianSeconds: number | null;
}

export interface SuspensionCount {
  month: string;
  started: number;
  untilLifted: number;
}

const month = (column: string) =>
  sql<string>`to_char(date_trunc('month', ${sql.ref(column)} AT TIME ZONE 'UTC'), 'YYYY-MM')`;

export async function reportsByReason(db: Executor, range: Range): Promise<KindCount[]> {
  const rows = await db
    .selectFrom('reports')
    .select([month('created_at').as('month'), 'reason as kind', sql<number>`count(*)::int`.as('count')])
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .groupBy([sql`1`, 'reason'])
    .execute();
  return rows;
}

export async function actionsByKind(db: Executor, range: Range): Promise<KindCount[]> {
  return db
    .selectFrom('moderation_log')
    .select([month('created_at').as('month'), 'action as kind', sql<number>`count(*)::int`.as('count')])
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .groupBy([sql`1`, 'action'])
    .execute();
}

export async function suspensions(db: Executor, range: Range): Promise<SuspensionCount[]> {
  return db
    .selectFrom('moderation_log')
    .select([
      month('created_at').as('month'),
      sql<number>`count(*)::int`.as('started'),
      sql<number>`(count(*) FILTER (WHERE details->'days' IS NULL OR jsonb_typeof(details->'days') = 'null'))::int`.as(
        'untilLifted',
      ),
    ])
    .where('action', '=', 'suspend')
    .where('created_at', '>=', range.start)
    .where('created_at', '<', range.end)
    .groupBy(sql`1`)
    .execute();
}

/**
 * Reported items resolved in each month: the reports on one item resolved together (one
 * resolution) count once, and its time is from the item's first report to that resolution.
 */
export async function resolutions(db: Executor, range: Range): Promise<ResolutionRow[]> {
  const rows = await db
    .with('resolution', (q) =>
      q
        .selectFrom('reports')
        .select(['resolved_at', sql<Date>`min(created_at)`.as('first_reported_at')])
        .where('status', '=', 'resolved')
        .where('resolved_at', '>=', range.start)
        .where('resolved_at', '<', range.end)
        .groupBy(['target_type', 'target_id', 'resolved_at']),
    )
    .selectFrom('resolution')
    .select([
      month('resolved_at').as('month'),
      sql<number>`count(*)::int`.as('resolved'),
      sql<
        number | null
      >`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - first_reported_at))::float8`.as(
        'medianSeconds',
      ),
    ])
    .groupBy(sql`1`)
    .execute();
  return rows.map((r) => ({ ...r, medianSeconds: r.medianSeconds === null ? null : Number(r.medianSeconds) }));
}
