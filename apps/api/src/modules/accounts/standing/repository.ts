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

// Members as the admin pages list them: role, join date and any suspension in force.

export interface PersonRow {
  id: string;
  handle: string;
  displayName: string;
  role: string;
  createdAt: Date;
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
  suspensionReason: string | null;
}

function people(db: Executor, now: Date) {
  return db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.handle',
      'u.display_name',
      'u.role',
      'u.created_at',
      sql<Date | null>`CASE WHEN ${inForce(now)} THEN u.suspended_at END`.as('suspended_at'),
      sql<Date | null>`CASE WHEN ${inForce(now)} THEN u.suspended_until END`.as('suspended_until'),
      sql<string | null>`CASE WHEN ${inForce(now)} THEN u.suspension_reason END`.as('suspension_reason'),
    ]);
}

function toPerson(r: {
  id: string;
  handle: string;
  display_name: string;
  role: string;
  created_at: Date;
  suspended_at: Date | null;
  suspended_until: Date | null;
  suspension_reason: string | null;
}): PersonRow {
  return {
    id: r.id,
    handle: r.handle,
    displayName: r.display_name,
    role: r.role,
    createdAt: r.created_at,
    suspendedAt: r.suspended_at,
    suspendedUntil: r.suspended_until,
    suspensionReason: r.suspension_reason,
  };
}

/** Newest members first, by keyset on the id; `q` matches part of the handle or display name. */
export async function listPeople(
  db: Executor,
  now: Date,
  options: { q?: string; role?: string; suspended?: boolean; beforeId?: string; limit: number },
): Promise<PersonRow[]> {
  let query = people(db, now).orderBy('u.id', 'desc').limit(options.limit);
  if (options.beforeId) query = query.where('u.id', '<', options.beforeId);
  if (options.role) query = query.where('u.role', '=', options.role);
  if (options.suspended === true) query = query.where(inForce(now));
  if (options.suspended === false) query = query.where(sql<boolean>`NOT (${inForce(now)})`);
  if (options.q) {
    const pattern = `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.handle', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]));
  }
  return (await query.execute()).map(toPerson);
}

export async function findPerson(db: Executor, now: Date, handle: string): Promise<PersonRow | undefined> {
  const r = await people(db, now).where('u.handle', '=', handle).executeTakeFirst();
  return r && toPerson(r);
}
