/** Members as the admin pages list them: role, join date and any suspension in force. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

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

/** A suspension is in force while suspended_at is set and its end (if any) is still ahead. */
function inForce(now: Date) {
  return sql<boolean>`u.suspended_at IS NOT NULL AND (u.suspended_until IS NULL OR u.suspended_until > ${now})`;
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
