/** Unsubscribe tokens (the capability in every email's link), digest settings and the members a digest goes to. */
import { sql } from 'kysely';
import type { UnsubscribeUndo } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';

export interface UnsubscribeToken {
  userId: string;
  kind: string;
  undo: UnsubscribeUndo | null;
  undoUntil: Date | null;
}

export async function insertUnsubscribeToken(
  db: Executor,
  t: { id: string; userId: string; kind: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('unsubscribe_tokens')
    .values({ id: t.id, user_id: t.userId, kind: t.kind, expires_at: t.expiresAt })
    .execute();
}

/** An unexpired token by the SHA-256 of its link's token, locked for the caller's transaction. */
export async function lockUnsubscribeToken(db: Executor, id: string, now: Date): Promise<UnsubscribeToken | undefined> {
  const r = await db
    .selectFrom('unsubscribe_tokens')
    .select(['user_id', 'kind', 'undo', 'undo_until'])
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  return r && { userId: r.user_id, kind: r.kind, undo: r.undo, undoUntil: r.undo_until };
}

export async function setUnsubscribeUndo(
  db: Executor,
  id: string,
  undo: UnsubscribeUndo | null,
  until: Date | null,
): Promise<void> {
  await db
    .updateTable('unsubscribe_tokens')
    .set({ undo: undo && JSON.stringify(undo), undo_until: until })
    .where('id', '=', id)
    .execute();
}

export async function deleteUnsubscribeTokens(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('unsubscribe_tokens').where('user_id', '=', userId).execute();
}

export async function deleteExpiredUnsubscribeTokens(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('unsubscribe_tokens').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The digest frequency a member has (weekly when never chosen). */
export async function digestFrequency(db: Executor, userId: string): Promise<string> {
  const r = await db.selectFrom('digest_settings').select('frequency').where('user_id', '=', userId).executeTakeFirst();
  return r?.frequency ?? 'weekly';
}

/** Puts a digest frequency back, only if it is still what the unsubscribe set. */
export async function restoreDigest(db: Executor, userId: string, from: string, to: string): Promise<boolean> {
  const r = await db
    .updateTable('digest_settings')
    .set({ frequency: to })
    .where('user_id', '=', userId)
    .where('frequency', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Puts a channel back (null: the kind's default, no row), only if it is still what the unsubscribe set. */
export async function restoreChannel(
  db: Executor,
  userId: string,
  kind: string,
  from: string,
  to: string | null,
): Promise<boolean> {
  if (to === null) {
    const r = await db
      .deleteFrom('notification_prefs')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('channel', '=', from)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  const r = await db
    .updateTable('notification_prefs')
    .set({ channel: to })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('channel', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setDigest(db: Executor, userId: string, frequency: string): Promise<void> {
  await db
    .insertInto('digest_settings')
    .values({ user_id: userId, frequency })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ frequency }))
    .execute();
}

export async function setChannel(db: Executor, userId: string, kind: string, channel: string): Promise<void> {
  await db
    .insertInto('notification_prefs')
    .values({ user_id: userId, kind, channel })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ channel }))
    .execute();
}

export async function channelsOf(db: Executor, userId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('notification_prefs')
    .select(['kind', 'channel'])
    .where('user_id', '=', userId)
    .execute();
  return new Map(rows.map((r) => [r.kind, r.channel]));
}

/** Members whose digest frequency is this one (weekly by default) and who follow something. */
export async function digestRecipients(db: Executor, frequency: 'daily' | 'weekly'): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select u.id from users u
    left join digest_settings d on d.user_id = u.id
    where coalesce(d.frequency, 'weekly') = ${frequency}
      and u.password_hash is not null
      and u.email_verified_at is not null
      and exists (select 1 from follows f where f.user_id = u.id)
    order by u.id
  `.execute(db);
  return rows.map((r) => r.id);
}

export async function digestState(db: Executor, userId: string) {
  const row = await db
    .selectFrom('digest_settings')
    .select(['frequency', 'last_sent_at', 'last_activity_id'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    frequency: row?.frequency ?? 'weekly',
    lastSentAt: row?.last_sent_at ?? null,
    lastActivityId: row?.last_activity_id ?? '0',
  };
}

export async function markDigestSent(db: Executor, userId: string, lastActivityId: string): Promise<void> {
  await db
    .insertInto('digest_settings')
    .values({ user_id: userId, last_sent_at: new Date(), last_activity_id: lastActivityId })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ last_sent_at: new Date(), last_activity_id: lastActivityId }),
    )
    .execute();
}

export interface Mailbox {
  email: string;
  displayName: string;
  locale: string;
  canSignIn: boolean;
}

/** Where a member's digest and notification emails go; undefined until their address is verified. */
export async function mailbox(db: Executor, userId: string): Promise<Mailbox | undefined> {
  const r = await db
    .selectFrom('users')
    .select(['email', 'display_name', 'locale', 'password_hash'])
    .where('id', '=', userId)
    .where('email_verified_at', 'is not', null)
    .executeTakeFirst();
  return r && { email: r.email, displayName: r.display_name, locale: r.locale, canSignIn: r.password_hash !== null };
}

/** Unread notifications of a member that wait for the digest (channel "digest"), newest first. */
export async function digestNotifications(db: Executor, userId: string, since: Date | null) {
  let query = db
    .selectFrom('notifications as n')
    .leftJoin('notification_prefs as p', (join) =>
      join.onRef('p.user_id', '=', 'n.user_id').onRef('p.kind', '=', 'n.kind'),
    )
    .select(['n.id', 'n.kind', 'n.count', 'n.payload', 'n.updated_at'])
    .where('n.user_id', '=', userId)
    .where('n.read_at', 'is', null)
    .where('p.channel', '=', 'digest');
  if (since) query = query.where('n.updated_at', '>', since);
  return query.orderBy('n.updated_at', 'desc').limit(50).execute();
}

export async function latestActivityBefore(db: Executor): Promise<string> {
  const r = await db
    .selectFrom('activities')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return (r?.max as string | null | undefined) ?? '0';
}
