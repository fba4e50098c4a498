import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface SuspensionRow {
  userId: string;
  handle: string;
  suspendedAt: Date;
  suspendedUntil: Date | null;
  reason: string;
}

/** A suspension is in force while suspended_at is set and its end (if any) is still ahead. */
function inForce(now: Date) {
  return sql<boolean>`u.suspended_at IS NOT NULL AND (u.suspended_until IS NULL OR u.suspended_until > ${now})`;
}

function toRow(r: {
  id: string;
  handle: string;
  suspended_at: Date | null;
  suspended_until: Date | null;
  suspension_reason: string | null;
}): SuspensionRow {
  return {
    userId: r.id,
    handle: r.handle,
    suspendedAt: r.suspended_at ?? new Date(0),
    suspendedUntil: r.suspended_until,
    reason: r.suspension_reason ?? '',
  };
}

const columns = ['u.id', 'u.handle', 'u.suspended_at', 'u.suspended_until', 'u.suspension_reason'] as const;

export async function suspensionOf(db: Executor, userId: string, now: Date): Promise<SuspensionRow | undefined> {
  const r = await db
    .selectFrom('users as u')
    .select(columns)
    .where('u.id', '=', userId)
    .where(inForce(now))
    .executeTakeFirst();
  return r && toRow(r);
}

/** Suspends (or replaces the member's current suspension); the row is locked by the update. */
export async function setSuspension(
  db: Executor,
  userId: string,
  at: Date,
  until: Date | null,
  reason: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ suspended_at: at, suspended_until: until, suspension_reason: reason, updated_at: at })
    .where('id', '=', userId)
    .execute();
}

/** Lifts the suspension in force; false when there was none. */
export async function clearSuspension(db: Executor, userId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('users as u')
    .set({ suspended_at: null, suspended_until: null, suspension_reason: null, updated_at: now })
    .where('u.id', '=', userId)
    .where(inForce(now))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Suspensions in force, the newest first, by keyset on (suspended_at, id). */
export async function listSuspensions(
  db: Executor,
  now: Date,
  limit: number,
  after?: { at: string; id: string },
): Promise<SuspensionRow[]> {
  let query = db
    .selectFrom('users as u')
    .select(columns)
    .where(inForce(now))
    .orderBy('u.suspended_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(limit);
  if (after)
    query = query.where(sql<boolean>`(u.suspended_at, u.id) < (${after.at}::timestamptz, ${after.id}::bigint)`);
  return (await query.execute()).map(toRow);
}

/** Forgets a suspension whose end has passed (sign-in calls it), so the member's sessions work again. */
export async function clearEndedSuspension(db: Executor, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('users')
    .set({ suspended_at: null, suspended_until: null, suspension_reason: null })
    .where('id', '=', userId)
    .where('suspended_until', '<=', now)
    .execute();
}
