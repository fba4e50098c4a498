/**
 * Reports (one open report per member and target, collected per target) and what the queue shows
 * around them: the target as people read it, the posts around a reported post, a member's record.
 */
import { sql, type Transaction } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import { insertActivity } from '../../platform/outbox/repository.ts';

export type TargetType = 'post' | 'person' | 'event' | 'case';

/** A target as people read it. */
export interface TargetRow {
  id: string;
  /** The post id, handle or slug. */
  target: string;
  /** Who it belongs to: a post's author, the person themselves; null for events and cases. */
  ownerId: string | null;
  /** What notices name: a post's case, a member's name, an event's or case's title. */
  title: string;
  url: string;
}

const POST_ID = /^[1-9]\d{0,18}$/;

/** The live target a member names (a post id, a handle, a slug), or undefined. */
export async function findTarget(db: Executor, type: TargetType, target: string): Promise<TargetRow | undefined> {
  if (type === 'post') {
    if (!POST_ID.test(target)) return undefined;
    const [row] = await describeTargets(db, type, [target]);
    return row && !row.deleted ? row : undefined;
  }
  const column = type === 'person' ? 'handle' : 'slug';
  const table = type === 'person' ? 'users' : type === 'event' ? 'events' : 'cases';
  const found = await db.selectFrom(table).select('id').where(column, '=', target).executeTakeFirst();
  if (!found) return undefined;
  return (await describeTargets(db, type, [String(found.id)]))[0];
}

/** Targets by their stored ids (deleted posts included: the queue still names them). */
export async function describeTargets(
  db: Executor,
  type: TargetType,
  ids: string[],
): Promise<(TargetRow & { deleted: boolean })[]> {
  if (!ids.length) return [];
  if (type === 'post') {
    const rows = await db
      .selectFrom('posts as p')
      .innerJoin('cases as c', 'c.id', 'p.case_id')
      .select(['p.id', 'p.author_id', 'p.deleted_at', 'c.slug', 'c.title'])
      .where('p.id', 'in', ids)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      target: r.id,
      ownerId: r.author_id,
      title: r.title,
      url: `/cases/${r.slug}#post-${r.id}`,
      deleted: r.deleted_at !== null,
    }));
  }
  if (type === 'person') {
    const rows = await db.selectFrom('users').select(['id', 'handle', 'display_name']).where('id', 'in', ids).execute();
    return rows.map((r) => ({
      id: r.id,
      target: r.handle,
      ownerId: r.id,
      title: r.display_name,
      url: `/people/${r.handle}`,
      deleted: false,
    }));
  }
  const table = type === 'event' ? 'events' : 'cases';
  const rows = await db.selectFrom(table).select(['id', 'slug', 'title']).where('id', 'in', ids).execute();
  return rows.map((r) => ({
    id: String(r.id),
    target: r.slug,
    ownerId: null,
    title: r.title,
    url: `/${table}/${r.slug}`,
    deleted: false,
  }));
}

export interface OpenReport {
  id: string;
  reporterId: string;
}

/** The member's open report on this target, if any. */
export async function openReportOf(
  db: Executor,
  reporterId: string,
  type: TargetType,
  targetId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('reporter_id', '=', reporterId)
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return row?.id;
}

/** Files a report; the member's open report on the same target instead, when a concurrent one won. */
export async function insertReport(
  trx: Transaction<Schema>,
  report: { reporterId: string; type: TargetType; targetId: string; reason: string; note: string; at: Date },
): Promise<{ id: string; created: boolean }> {
  const row = await trx
    .insertInto('reports')
    .values({
      reporter_id: report.reporterId,
      target_type: report.type,
      target_id: report.targetId,
      reason: report.reason,
      note: report.note,
      created_at: report.at,
    })
    .onConflict((oc) =>
      // A literal, not a parameter: PostgreSQL matches the partial unique index by this predicate
      // when it plans, and a generic plan (prepared statements) would not know a parameter's value.
      oc.columns(['reporter_id', 'target_type', 'target_id']).where('status', '=', sql.lit('open')).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, created: true };
  const existing = await openReportOf(trx, report.reporterId, report.type, report.targetId);
  if (!existing) throw new Error('report conflict without an open report');
  return { id: existing, created: false };
}

/** Distinct trusted members (trusted, organisers, moderators, admins) with an open report on the target. */
export async function trustedReporters(db: Executor, type: TargetType, targetId: string): Promise<number> {
  const row = await db
    .selectFrom('reports as r')
    .innerJoin('users as u', 'u.id', 'r.reporter_id')
    .select(sql<string>`count(distinct r.reporter_id)`.as('n'))
    .where('r.target_type', '=', type)
    .where('r.target_id', '=', targetId)
    .where('r.status', '=', 'open')
    .where((eb) => eb.or([eb('u.trusted_at', 'is not', null), eb('u.role', 'in', ['organiser', 'moderator', 'admin'])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function openReportCount(db: Executor, type: TargetType, targetId: string): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select(sql<string>`count(*)`.as('n'))
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findReport(
  db: Executor,
  id: string,
): Promise<{ id: string; type: TargetType; targetId: string } | undefined> {
  const row = await db
    .selectFrom('reports')
    .select(['id', 'target_type', 'target_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, type: row.target_type as TargetType, targetId: row.target_id };
}

/** Closes every open report on the target; the reporters (still members) of the reports closed. */
export async function resolveOpen(
  trx: Transaction<Schema>,
  type: TargetType,
  targetId: string,
  resolution: { by: string; action: string; at: Date },
): Promise<{ count: number; reporterIds: string[] }> {
  const rows = await trx
    .updateTable('reports')
    .set({ status: 'resolved', resolved_at: resolution.at, resolved_by: resolution.by, resolution: resolution.action })
    .where('target_type', '=', type)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .returning('reporter_id')
    .execute();
  const reporterIds = [...new Set(rows.map((r) => r.reporter_id).filter((id): id is string => id !== null))];
  return { count: rows.length, reporterIds };
}

export interface GroupRow {
  type: TargetType;
  targetId: string;
  firstId: string;
  lastId: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  resolution: string | null;
}

/** Reports of one status grouped by target, the most recently reported first (keyset on the last id). */
export async function listGroups(
  db: Executor,
  status: string,
  limit: number,
  beforeLastId?: string,
): Promise<GroupRow[]> {
  let query = db
    .selectFrom('reports')
    .select([
      'target_type',
      'target_id',
      sql<string>`min(id)`.as('first_id'),
      sql<string>`max(id)`.as('last_id'),
      sql<string>`count(*)`.as('n'),
      sql<Date>`min(created_at)`.as('first_at'),
      sql<Date>`max(created_at)`.as('last_at'),
      sql<string | null>`(array_agg(resolution order by id desc))[1]`.as('resolution'),
    ])
    .where('status', '=', status)
    .groupBy(['target_type', 'target_id'])
    .orderBy(sql`max(id)`, 'desc')
    .limit(limit);
  if (beforeLastId) query = query.having(sql<boolean>`max(id) < ${beforeLastId}::bigint`);
  const rows = await query.execute();
  return rows.map((r) => ({
    type: r.target_type as TargetType,
    targetId: r.target_id,
    firstId: r.first_id,
    lastId: r.last_id,
    count: Number(r.n),
    firstAt: new Date(r.first_at),
    lastAt: new Date(r.last_at),
    resolution: r.resolution,
  }));
}

export interface ReportRow {
  id: string;
  type: TargetType;
  targetId: string;
  reporterHandle: string | null;
  reporterName: string | null;
  reason: string;
  note: string;
  createdAt: Date;
}

/** The reports of a status on these targets, newest first. */
export async function reportsOn(
  db: Executor,
  status: string,
  targets: { type: TargetType; targetId: string }[],
): Promise<ReportRow[]> {
  if (!targets.length) return [];
  const rows = await db
    .selectFrom('reports as r')
    .leftJoin('users as u', 'u.id', 'r.reporter_id')
    .select([
      'r.id',
      'r.target_type',
      'r.target_id',
      'u.handle',
      'u.display_name',
      'r.reason',
      'r.note',
      'r.created_at',
    ])
    .where('r.status', '=', status)
    .where((eb) =>
      eb.or(targets.map((t) => eb.and([eb('r.target_type', '=', t.type), eb('r.target_id', '=', t.targetId)]))),
    )
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.target_type as TargetType,
    targetId: r.target_id,
    reporterHandle: r.handle,
    reporterName: r.display_name,
    reason: r.reason,
    note: r.note,
    createdAt: r.created_at,
  }));
}

/** Writes the notices of a decision (moderation/catalogue-entries.ts) with it. */
export async function insertNotices(trx: Transaction<Schema>, activity: NewActivity): Promise<void> {
  await insertActivity(trx, activity);
}
