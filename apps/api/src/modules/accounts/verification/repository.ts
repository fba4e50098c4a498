/** Email verification: whether an account's address is confirmed, and the single-use links that confirm it. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface Mailbox {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  verifiedAt: Date | null;
}

export async function mailboxOf(db: Executor, userId: string): Promise<Mailbox | undefined> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale', 'email_verified_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return (
    r && { id: r.id, email: r.email, displayName: r.display_name, locale: r.locale, verifiedAt: r.email_verified_at }
  );
}

/** A new link for the account's current address; older ones stop working. */
export async function replaceVerification(
  db: Executor,
  link: { id: string; userId: string; email: string; expiresAt: Date },
): Promise<void> {
  await db.deleteFrom('email_verifications').where('user_id', '=', link.userId).execute();
  await db
    .insertInto('email_verifications')
    .values({ id: link.id, user_id: link.userId, email: link.email, expires_at: link.expiresAt })
    .execute();
}

/**
 * Uses a link once: when it has not expired and the account still has the address it was sent
 * to, the address becomes verified. Returns the address, or undefined.
 */
export async function consumeVerification(db: Executor, id: string, now: Date): Promise<string | undefined> {
  const { rows } = await sql<{ email: string }>`
    with used as (
      delete from email_verifications where id = ${id} returning user_id, email, expires_at
    )
    update users u set email_verified_at = ${now}
    from used
    where u.id = used.user_id and used.expires_at > ${now} and lower(u.email) = lower(used.email)
    returning u.email
  `.execute(db);
  return rows[0]?.email;
}

export async function deleteExpiredVerifications(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('email_verifications').where('expires_at', '<=', now).execute();
}
