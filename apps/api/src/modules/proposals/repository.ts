/**
 * Proposals' statements: the `case_proposals` rows (a CaseSnapshot each), the slugs they may
 * take (free among cases, old slugs and proposals), and the cases a member is credited with.
 */
import { sql, type Transaction } from 'kysely';
import type { CaseSnapshot } from '@opsi/db/case-row';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import { insertActivity } from '../../platform/outbox/repository.ts';

export type Status = 'pending' | 'approved' | 'rejected';

export interface ProposalRow {
  id: string;
  slug: string;
  proposerId: string | null;
  status: Status;
  fields: CaseSnapshot;
  reason: string;
  caseSlug: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
}

export interface ReviewRow extends ProposalRow {
  proposer: { handle: string; displayName: string; joinedAt: Date; postCount: number } | null;
  reviewedBy: string | null;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('case_proposals as p')
    .leftJoin('cases as c', 'c.id', 'p.case_id')
    .select([
      'p.id',
      'p.slug',
      'p.proposer_id',
      'p.status',
      'p.fields',
      'p.reason',
      'p.created_at',
      'p.reviewed_at',
      'c.slug as case_slug',
    ]);
}

type BaseRecord = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toRow(r: BaseRecord): ProposalRow {
  return {
    id: r.id,
    slug: r.slug,
    proposerId: r.proposer_id,
    status: r.status,
    fields: r.fields as unknown as CaseSnapshot,
    reason: r.reason,
    caseSlug: r.case_slug,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
  };
}

/** Whether no case, old slug of a case, or proposal holds `slug`. */
export async function slugFree(db: Executor, slug: string): Promise<boolean> {
  const row = await sql<{ taken: boolean }>`select
      exists (select 1 from cases where slug = ${slug})
      or exists (select 1 from case_slugs where slug = ${slug})
      or exists (select 1 from case_proposals where slug = ${slug}) as taken`.execute(db);
  return !row.rows[0]?.taken;
}

/** Whether a case (or an old slug of one) holds `slug`: proposals do not count. */
export async function caseSlugTaken(db: Executor, slug: string): Promise<boolean> {
  const row = await sql<{ taken: boolean }>`select
      exists (select 1 from cases where slug = ${slug})
      or exists (select 1 from case_slugs where slug = ${slug}) as taken`.execute(db);
  return Boolean(row.rows[0]?.taken);
}

/** Stores a proposal; null when another took the slug meanwhile. */
export async function insertProposal(
  db: Executor,
  proposerId: string,
  fields: CaseSnapshot,
): Promise<ProposalRow | null> {
  const inserted = await db
    .insertInto('case_proposals')
    .values({ slug: fields.slug, proposer_id: proposerId, fields: JSON.stringify(fields) })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  return (await findById(db, inserted.id)) ?? null;
}

export async function findById(db: Executor, id: string): Promise<ProposalRow | undefined> {
  const r = await baseQuery(db).where('p.id', '=', id).executeTakeFirst();
  return r && toRow(r);
}

/** The proposal with this slug, locked for its review (in the reviewer's transaction). */
export async function lockBySlug(trx: Transaction<Schema>, slug: string): Promise<ProposalRow | undefined> {
  const r = await baseQuery(trx).where('p.slug', '=', slug).forUpdate('p').executeTakeFirst();
  return r && toRow(r);
}

/** A member's own proposals, newest first. */
export async function listMine(
  db: Executor,
  userId: string,
  page: { afterId?: string | undefined; limit: number },
): Promise<ProposalRow[]> {
  const rows = await baseQuery(db)
    .where('p.proposer_id', '=', userId)
    .$if(page.afterId !== undefined, (qb) => qb.where('p.id', '<', page.afterId ?? '0'))
    .orderBy('p.id', 'desc')
    .limit(page.limit)
    .execute();
  return rows.map(toRow);
}

/**
 * The review queue: pending proposals oldest first (first come, first reviewed); approved and
 * rejected ones most recently proposed first.
 */
export async function listForReview(
  db: Executor,
  status: Status,
  page: { afterId?: string | undefined; limit: number },
): Promise<ReviewRow[]> {
  const oldestFirst = status === 'pending';
  const rows = await baseQuery(db)
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'p.proposer_id').on('u.deleted_at', 'is', null))
    .leftJoin('users as r', 'r.id', 'p.reviewed_by')
    .select([
      'u.handle as proposer_handle',
      'u.display_name as proposer_name',
      'u.created_at as proposer_joined',
      sql<string>`(select count(*) from posts x where x.author_id = u.id and x.deleted_at is null)`.as(
        'proposer_posts',
      ),
      'r.handle as reviewer_handle',
    ])
    .where('p.status', '=', status)
    .$if(page.afterId !== undefined, (qb) => qb.where('p.id', oldestFirst ? '>' : '<', page.afterId ?? '0'))
    .orderBy('p.id', oldestFirst ? 'asc' : 'desc')
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    ...toRow(r),
    proposer:
      r.proposer_handle && r.proposer_name !== null && r.proposer_joined
        ? {
            handle: r.proposer_handle,
            displayName: r.proposer_name,
            joinedAt: r.proposer_joined,
            postCount: Number(r.proposer_posts),
          }
        : null,
    reviewedBy: r.reviewer_handle,
  }));
}

/** Records the review of a pending proposal. */
export async function markReviewed(
  trx: Transaction<Schema>,
  id: string,
  review: { status: Status; reason: string; by: string; at: Date; caseId: string | null },
): Promise<void> {
  await trx
    .updateTable('case_proposals')
    .set({
      status: review.status,
      reason: review.reason,
      reviewed_by: review.by,
      reviewed_at: review.at,
      case_id: review.caseId,
      updated_at: review.at,
    })
    .where('id', '=', id)
    .execute();
}

/** The proposer's notice (proposals/catalogue-entries.ts), committed with the review. */
export async function insertNotice(trx: Transaction<Schema>, activity: NewActivity): Promise<void> {
  await insertActivity(trx, activity);
}

/** The cases a member is credited with proposing, newest first. */
export async function casesProposedBy(db: Executor, handle: string): Promise<{ slug: string; title: string }[]> {
  return db
    .selectFrom('cases as c')
    .innerJoin('users as u', 'u.id', 'c.proposer_id')
    .select(['c.slug', 'c.title'])
    .where('u.handle', '=', handle)
    .where('u.deleted_at', 'is', null)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(100)
    .execute();
}
