/**
 * The public transparency report: per month, the reports filed by reason, the moderation actions
 * by kind, how many reported items were resolved and the median time it took, and the suspensions.
 * Only counts: the report says how much moderation happens, never to whom or why in their words.
 */
import { ModerationActions, ReportReasons } from '@opsi/contracts/moderation';
import type { TransparencyMonth, TransparencyQuery, TransparencyReport } from '@opsi/contracts/transparency';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import * as repo from './repository.ts';

/** Months as numbers (year × 12 + month index) make ranges easy to walk. */
function monthIndex(month: string): number {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return year * 12 + (m - 1);
}

function monthName(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function monthStart(index: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(Math.floor(index / 12), index % 12, 1);
  return date;
}

function zeros<K extends readonly string[]>(keys: K): Record<K[number], number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K[number], number>;
}

/** The months a query asks for: by default the last 12 up to this one; at most `maxMonths`. */
export function monthsOf(query: Pick<TransparencyQuery, 'from' | 'to'>, now: Date, maxMonths: number) {
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const last = query.to ? monthIndex(query.to) : current;
  const first = query.from ? monthIndex(query.from) : Math.min(last, current) - 11;
  if (first > last) {
    const message = '`to` must not be before `from`';
    throw new AppError('validation_failed', message, [problem('to', 'invalid', message, { value: monthName(last) })]);
  }
  if (last - first + 1 > maxMonths) {
    const message = `A report covers at most ${maxMonths} months`;
    throw new AppError('validation_failed', message, [problem('to', 'too_large', message, { max: maxMonths })]);
  }
  return { first, last };
}

const CSV_COLUMNS = [
  'month',
  'reports',
  ...ReportReasons.map((r) => `reports_${r}`),
  ...ModerationActions.map((a) => `actions_${a}`),
  'resolved',
  'median_hours_to_resolution',
  'suspensions',
  'suspensions_until_lifted',
];

/** One header row, then a row per month. Every cell is a month, a number or empty: nothing to escape. */
export function toCsv(report: TransparencyReport): string {
  const rows = report.months.map((m) => [
    m.month,
    m.reports,
    ...ReportReasons.map((r) => m.reportsByReason[r]),
    ...ModerationActions.map((a) => m.actions[a]),
    m.resolved,
    m.medianHoursToResolution ?? '',
    m.suspensions,
    m.suspensionsUntilLifted,
  ]);
  return [CSV_COLUMNS, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}

export function createTransparencyService(database: Database, options: { maxMonths: number; now?: Clock }) {
  const db = database.kysely;
  const now = options.now ?? systemClock;

  return {
    async report(query: Pick<TransparencyQuery, 'from' | 'to'>): Promise<TransparencyReport> {
      const at = now();
      const { first, last } = monthsOf(query, at, options.maxMonths);
      const range = { start: monthStart(first), end: monthStart(last + 1) };
      const [reasons, actions, resolutions, suspensions] = await Promise.all([
        repo.reportsByReason(db, range),
        repo.actionsByKind(db, range),
        repo.resolutions(db, range),
        repo.suspensions(db, range),
      ]);

      const months = new Map<string, TransparencyMonth>();
      for (let i = first; i <= last; i += 1) {
        const month = monthName(i);
        months.set(month, {
          month,
          reports: 0,
          reportsByReason: zeros(ReportReasons),
          actions: zeros(ModerationActions),
          resolved: 0,
          medianHoursToResolution: null,
          suspensions: 0,
          suspensionsUntilLifted: 0,
        });
      }
      for (const r of reasons) {
        const m = months.get(r.month);
        if (!m || !(r.kind in m.reportsByReason)) continue;
        m.reportsByReason[r.kind as keyof typeof m.reportsByReason] += r.count;
        m.reports += r.count;
      }
      for (const a of actions) {
        const m = months.get(a.month);
        if (m && a.kind in m.actions) m.actions[a.kind as keyof typeof m.actions] += a.count;
      }
      for (const r of resolutions) {
        const m = months.get(r.month);
        if (!m) continue;
        m.resolved = r.resolved;
        m.medianHoursToResolution = r.medianSeconds === null ? null : Math.round((r.medianSeconds / 3600) * 10) / 10;
      }
      for (const s of suspensions) {
        const m = months.get(s.month);
        if (!m) continue;
        m.suspensions = s.started;
        m.suspensionsUntilLifted = s.untilLifted;
      }
      return {
        from: monthName(first),
        to: monthName(last),
        generatedAt: at.toISOString(),
        months: [...months.values()],
      };
    },
  };
}

export type TransparencyService = ReturnType<typeof createTransparencyService>;
