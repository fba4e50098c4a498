/** Blocks between members and members' levels for case threads (watching, normal, muted). */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface Person {
  id: string;
  handle: string;
  displayName: string;
}

export async function findPerson(db: Executor, handle: string): Promise<Person | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name'])
    .where('handle', '=', handle.toLowerCase())
    .executeTakeFirst();
  return row && { id: row.id, handle: row.handle, displayName: row.display_name };
}

/** Blocks `blockedId` for `blockerId`; again: nothing changes. */
export async function insertBlock(db: Executor, blockerId: string, blockedId: string): Promise<void> {
  await db
    .insertInto('blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();
}

export async function deleteBlock(db: Executor, blockerId: string, blockedId: string): Promise<void> {
  await db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).execute();
}

export async function isBlocking(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blocker_id')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listBlocks(db: Executor, blockerId: string) {
  const rows = await db
    .selectFrom('blocks as b')
    .innerJoin('users as u', 'u.id', 'b.blocked_id')
    .select(['u.handle', 'u.display_name', 'b.created_at'])
    .where('b.blocker_id', '=', blockerId)
    .orderBy('b.created_at', 'desc')
    .orderBy('u.handle')
    .execute();
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name, blockedAt: r.created_at }));
}

export async function findCase(db: Executor, slug: string): Promise<{ id: string; slug: string } | undefined> {
  return db.selectFrom('cases').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
}

export async function setThreadLevel(db: Executor, userId: string, caseId: string, level: string): Promise<void> {
  await db
    .insertInto('thread_levels')
    .values({ user_id: userId, case_id: caseId, level })
    .onConflict((oc) => oc.columns(['user_id', 'case_id']).doUpdateSet({ level, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function clearThreadLevel(db: Executor, userId: string, caseId: string): Promise<void> {
  await db.deleteFrom('thread_levels').where('user_id', '=', userId).where('case_id', '=', caseId).execute();
}

export async function threadLevel(db: Executor, userId: string, caseId: string): Promise<string | null> {
  const row = await db
    .selectFrom('thread_levels')
    .select('level')
    .where('user_id', '=', userId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row?.level ?? null;
}

/** The member's threads at `level` (all levels when null), newest change first. */
export async function listThreadLevels(db: Executor, userId: string, level: string | null) {
  let query = db
    .selectFrom('thread_levels as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .select(['c.slug', 'c.title', 't.level', 't.updated_at'])
    .where('t.user_id', '=', userId);
  if (level) query = query.where('t.level', '=', level);
  const rows = await query.orderBy('t.updated_at', 'desc').orderBy('c.slug').execute();
  return rows.map((r) => ({ caseSlug: r.slug, title: r.title, level: r.level, updatedAt: r.updated_at }));
}

/** Unmutes: a muted thread becomes "normal" (a choice, kept); any other level stays as it is. */
export async function unmute(db: Executor, userId: string, caseId: string): Promise<void> {
  await db
    .updateTable('thread_levels')
    .set({ level: 'normal', updated_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('case_id', '=', caseId)
    .where('level', '=', 'muted')
    .execute();
}
