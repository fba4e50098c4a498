import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string | null;
  handle: string;
  displayName: string;
  role: string;
}

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  userAgent: string;
  ip: string;
}

const userColumns = ['id', 'email', 'password_hash', 'handle', 'display_name', 'role'] as const;

function toUser(r: {
  id: string;
  email: string;
  password_hash: string | null;
  handle: string;
  display_name: string;
  role: string;
}): UserRow {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    handle: r.handle,
    displayName: r.display_name,
    role: r.role,
  };
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const r = await db
    .selectFrom('users')
    .select(userColumns)
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .executeTakeFirst();
  return r && toUser(r);
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
  return r && toUser(r);
}

export async function findUserByHandle(db: Executor, handle: string): Promise<UserRow | undefined> {
  const r = await db.selectFrom('users').select(userColumns).where('handle', '=', handle).executeTakeFirst();
  return r && toUser(r);
}

export type InsertUserResult = { user: UserRow } | { taken: 'email' | 'handle' };

export async function insertUser(
  db: Executor,
  u: {
    email: string;
    passwordHash: string | null;
    handle: string;
    displayName: string;
    role?: string;
    locale?: string;
  },
): Promise<InsertUserResult> {
  try {
    const r = await db
      .insertInto('users')
      .values({
        email: u.email,
        password_hash: u.passwordHash,
        handle: u.handle,
        display_name: u.displayName,
        ...(u.role ? { role: u.role } : {}),
        ...(u.locale ? { locale: u.locale } : {}),
      })
      .returning(userColumns)
      .executeTakeFirstOrThrow();
    return { user: toUser(r) };
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message?: string };
    if (e.code === '23505') {
      const which = `${e.constraint ?? ''} ${e.message ?? ''}`.includes('email') ? 'email' : 'handle';
      return { taken: which };
    }
    throw error;
  }
}

export async function setPasswordHash(db: Executor, userId: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', userId).execute();
}

/** Moves the account to an address confirmed by a link (so it counts as verified). */
export async function setEmail(db: Executor, userId: string, email: string): Promise<'ok' | 'taken'> {
  try {
    await db
      .updateTable('users')
      .set({ email, email_verified_at: new Date(), updated_at: new Date() })
      .where('id', '=', userId)
      .execute();
    return 'ok';
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return 'taken';
    throw error;
  }
}

export async function setRole(db: Executor, handle: string, role: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ role, updated_at: new Date() })
    .where('handle', '=', handle)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listUsers(db: Executor, limit: number) {
  const rows = await db
    .selectFrom('users')
    .select([
      'handle',
      'email',
      'display_name',
      'role',
      'created_at',
      sql<boolean>`password_hash is not null`.as('can_sign_in'),
    ])
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    handle: r.handle,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    createdAt: r.created_at,
    canSignIn: r.can_sign_in,
  }));
}

// Sessions

export async function insertSession(db: Executor, s: Omit<SessionRow, 'createdAt' | 'lastUsedAt'>): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      expires_at: s.expiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      user_agent: s.userAgent,
      ip: s.ip,
    })
    .execute();
}

/** The session and its user in one query. */
export type SessionRecord = { session: SessionRow; user: UserRow };

/** Several sessions with their users in one statement (the session plugin batches lookups). */
export async function findSessions(db: Executor, ids: string[]): Promise<Map<string, SessionRecord>> {
  const found = new Map<string, SessionRecord>();
  if (!ids.length) return found;
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.created_at',
      's.last_used_at',
      's.expires_at',
      's.absolute_expires_at',
      's.user_agent',
      's.ip',
      'u.email',
      'u.password_hash',
      'u.handle',
      'u.display_name',
      'u.role',
    ])
    .where('s.id', 'in', ids)
    // A suspended member's sessions are deleted when the suspension starts; this keeps one
    // created in the same instant from working. (Sign-in clears a suspension that has ended.)
    .where('u.suspended_at', 'is', null)
    .execute();
  for (const r of rows) {
    found.set(r.id, {
      session: {
        id: r.id,
        userId: r.user_id,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        expiresAt: r.expires_at,
        absoluteExpiresAt: r.absolute_expires_at,
        userAgent: r.user_agent,
        ip: r.ip,
      },
      user: toUser({ ...r, id: r.user_id }),
    });
  }
  return found;
}

export async function findSession(db: Executor, id: string): Promise<SessionRecord | undefined> {
  return (await findSessions(db, [id])).get(id);
}

export async function touchSession(db: Executor, id: string, lastUsedAt: Date, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_used_at: lastUsedAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteUserSession(db: Executor, userId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes the user's sessions except one; returns the ids deleted. */
export async function deleteOtherSessions(db: Executor, userId: string, keepId: string | null): Promise<string[]> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) query = query.where('id', '!=', keepId);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}

export async function listSessions(db: Executor, userId: string, now: Date): Promise<SessionRow[]> {
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .orderBy('last_used_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    absoluteExpiresAt: r.absolute_expires_at,
    userAgent: r.user_agent,
    ip: r.ip,
  }));
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Password resets

export async function insertPasswordReset(db: Executor, id: string, userId: string, expiresAt: Date): Promise<void> {
  await db.insertInto('password_resets').values({ id, user_id: userId, expires_at: expiresAt }).execute();
}

/** Marks a reset used, once: returns its user when it was unused and unexpired. */
export async function consumePasswordReset(db: Executor, id: string, now: Date): Promise<string | undefined> {
  const r = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return r?.user_id;
}

/** Kills every outstanding reset link of a member (a password or email change, a link used). */
export async function deletePasswordResets(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

export async function deleteExpiredResets(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('password_resets').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function resetIsUsable(db: Executor, id: string, now: Date): Promise<boolean> {
  const r = await db
    .selectFrom('password_resets')
    .select('id')
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r !== undefined;
}

// Email changes waiting for the new address to confirm

export async function insertEmailChange(
  db: Executor,
  c: { id: string; userId: string; newEmail: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('email_changes')
    .values({ id: c.id, user_id: c.userId, new_email: c.newEmail, expires_at: c.expiresAt })
    .execute();
}

/** Marks a change used, once: returns it when it was unused and unexpired. */
export async function consumeEmailChange(
  db: Executor,
  id: string,
  now: Date,
): Promise<{ userId: string; newEmail: string } | undefined> {
  const r = await db
    .updateTable('email_changes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
  return r && { userId: r.user_id, newEmail: r.new_email };
}

/** The address a member asked to move to and has not confirmed yet, or null. */
export async function pendingEmailChange(db: Executor, userId: string, now: Date): Promise<string | null> {
  const r = await db
    .selectFrom('email_changes')
    .select('new_email')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return r?.new_email ?? null;
}

export async function deleteEmailChanges(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('email_changes').where('user_id', '=', userId).execute();
}

export async function deleteExpiredEmailChanges(db: Executor, now: Date): Promise<number> {
  const r = await db
    .deleteFrom('email_changes')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function setLocale(db: Executor, userId: string, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', userId).execute();
}

export async function localeOf(db: Executor, userId: string): Promise<string> {
  const r = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
  return r?.locale ?? 'en';
}
