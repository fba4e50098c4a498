/**
 * Proposals ("Add your innovation"): a member's case waits in `case_proposals`, apart from the
 * cases, until a moderator approves it (published: the case, its first revision and its `created`
 * activity by the proposer, who follows it and is told) or returns it with a reason (the proposer
 * is told why). Each review commits in one transaction with its log entry and its notice.
 */
import type { NewCase } from '@opsi/contracts/cases';
import type {
  CaseProposedEvent,
  Proposal,
  ProposalForReview,
  ProposalList,
  ProposalQuery,
  ReviewBody,
  ReviewPage,
  ReviewQuery,
} from '@opsi/contracts/proposals';
import type { Role } from '@opsi/contracts/accounts';
import type { Database } from '@opsi/db/database';
import { caseSnapshot, type CaseSnapshot } from '@opsi/db/case-row';
import { AppError, problem } from '../../platform/errors.ts';
import { badCursor, decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { writerTransaction } from '../../platform/outbox/repository.ts';
import type { AuditService } from '../audit/service.ts';
import type { CasesService } from '../cases/service.ts';
import { caseFieldsOf, slugify } from '../cases/service.ts';
import type { FollowsService } from '../follows/service.ts';
import type { MemberLimits } from '../limits/service.ts';
import * as repo from './repository.ts';

export interface Reviewer {
  id: string;
  handle: string;
  role: Role;
}

export interface ProposalsDeps {
  cases: CasesService;
  follows: FollowsService;
  audit: AuditService;
  limits: MemberLimits;
  now?: Clock;
}

function toProposal(row: repo.ProposalRow): Proposal {
  const f = row.fields;
  return {
    slug: row.slug,
    title: f.title,
    summary: f.summary,
    body: f.body,
    countries: f.countries,
    themes: f.themes,
    year: f.year,
    organisation: f.organisation,
    levelOfGovernment: f.levelOfGovernment as Proposal['levelOfGovernment'],
    stage: f.stage as Proposal['stage'],
    sourceUrl: f.sourceUrl,
    language: f.language,
    status: row.status,
    reason: row.reason,
    caseSlug: row.caseSlug,
    createdAt: row.createdAt.toISOString(),
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
  };
}

function toReview(row: repo.ReviewRow): ProposalForReview {
  return {
    ...toProposal(row),
    proposer: row.proposer && { ...row.proposer, joinedAt: row.proposer.joinedAt.toISOString() },
    reviewedBy: row.reviewedBy,
  };
}

function page<T extends { id: string }>(rows: T[], limit: number): { rows: T[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return { rows: shown, nextCursor: rows.length > limit && last ? encodeCursor({ afterId: last.id }) : null };
}

function afterIdOf(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const { afterId } = decodeCursor(cursor);
  if (afterId === undefined) throw badCursor();
  return afterId;
}

export function createProposalsService(database: Database, deps: ProposalsDeps) {
  const db = database.kysely;
  const now = deps.now ?? systemClock;

  /** A slug no case, old slug or proposal holds: the one asked for (409 when taken), or one from the title. */
  async function freeSlug(input: NewCase): Promise<string> {
    if (input.slug) {
      if (!(await repo.slugFree(db, input.slug))) {
        throw new AppError('conflict', `The slug "${input.slug}" is taken`, [
          problem('slug', 'taken', 'slug is taken', { value: input.slug }),
        ]);
      }
      return input.slug;
    }
    const base = slugify(input.title);
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const slug = attempt === 1 ? base : `${base.slice(0, 36)}-${attempt}`;
      if (await repo.slugFree(db, slug)) return slug;
    }
    throw new AppError('conflict', 'Could not find a free slug for this title; give one');
  }

  async function review(
    actor: Reviewer,
    slug: string,
    decision: 'approve' | 'reject',
    body: ReviewBody,
  ): Promise<{ proposal: Proposal; caseSlug: string | null }> {
    const at = now();
    const reason = body.reason?.trim() ?? '';
    const result = await writerTransaction(db, async (trx) => {
      const proposal = await repo.lockBySlug(trx, slug);
      if (!proposal) throw new AppError('not_found', `No proposal "${slug}"`);
      if (proposal.status !== 'pending') {
        throw new AppError('conflict', `This proposal was already ${proposal.status}`);
      }
      const title = proposal.fields.title;
      let caseSlug: string | null = null;
      let caseId: string | null = null;
      if (decision === 'approve') {
        const proposerId = proposal.proposerId;
        if (!proposerId) throw new AppError('conflict', 'The proposer’s account is gone; return this proposal');
        // An organiser may have published a case with this slug since: then it gets the next free one.
        caseSlug = proposal.slug;
        for (let attempt = 2; await repo.caseSlugTaken(trx, caseSlug); attempt += 1) {
          caseSlug = `${proposal.slug.slice(0, 36)}-${attempt}`;
        }
        const fields: CaseSnapshot = { ...proposal.fields, slug: caseSlug };
        caseId = await deps.cases.publishProposal(trx, fields, proposerId);
        await deps.follows.followIn(trx, proposerId, 'case', caseSlug);
      }
      await repo.markReviewed(trx, proposal.id, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        reason,
        by: actor.id,
        at,
        caseId,
      });
      await deps.audit.record(trx, {
        actor: { id: actor.id, handle: actor.handle },
        action: decision === 'approve' ? 'approve_case' : 'reject_case',
        targetType: 'case',
        targetId: caseId ?? proposal.id,
        target: caseSlug ?? proposal.slug,
        reason,
        details: { proposal: proposal.id, title },
      });
      if (proposal.proposerId) {
        await repo.insertNotice(trx, {
          verb: 'reviewed',
          objectType: 'proposal',
          objectId: proposal.id,
          actorId: null,
          countries: [],
          themes: [],
          isPublic: false,
          payload: {
            proposerId: proposal.proposerId,
            outcome: decision === 'approve' ? 'approved' : 'returned',
            title,
            url: caseSlug ? `/cases/${caseSlug}` : '/settings/proposals',
            reason,
          },
        });
      }
      return { id: proposal.id, caseSlug };
    });
    const row = await repo.findById(db, result.id);
    if (!row) throw new AppError('not_found', `No proposal "${slug}"`);
    return { proposal: toProposal(row), caseSlug: result.caseSlug };
  }

  return {
    /**
     * A member proposes a case: validated as a creation is, counted against PROPOSALS_PER_DAY,
     * stored as a snapshot under a free slug. The summary is for the moderators' live queue.
     */
    async propose(actor: { id: string }, input: NewCase): Promise<{ proposal: Proposal; event: CaseProposedEvent }> {
      await deps.cases.validate(input);
      await deps.limits.take(actor.id, 'proposal');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const slug = await freeSlug(input);
        // The snapshot keeps no sourceId: that is for imports.
        const fields = caseSnapshot(caseFieldsOf(input, slug));
        const row = await repo.insertProposal(db, actor.id, fields);
        if (row) {
          const event = { slug: row.slug, title: fields.title, createdAt: row.createdAt.toISOString() };
          return { proposal: toProposal(row), event };
        }
        // Another proposal took the slug between the check and the insert: look again.
      }
      throw new AppError('conflict', 'Could not find a free slug for this title; give one');
    },

    async mine(actor: { id: string }, query: ProposalQuery): Promise<ProposalList> {
      const limit = query.limit ?? 20;
      const rows = await repo.listMine(db, actor.id, { afterId: afterIdOf(query.cursor), limit: limit + 1 });
      const { rows: shown, nextCursor } = page(rows, limit);
      return { items: shown.map(toProposal), nextCursor };
    },

    async queue(query: ReviewQuery): Promise<ReviewPage> {
      const limit = query.limit ?? 20;
      const rows = await repo.listForReview(db, query.status ?? 'pending', {
        afterId: afterIdOf(query.cursor),
        limit: limit + 1,
      });
      const { rows: shown, nextCursor } = page(rows, limit);
      return { items: shown.map(toReview), nextCursor };
    },

    approve: (actor: Reviewer, slug: string, body: ReviewBody) => review(actor, slug, 'approve', body),
    reject: (actor: Reviewer, slug: string, body: ReviewBody) => review(actor, slug, 'reject', body),

    /** The cases a member is credited with proposing (their profile). */
    proposedBy: (handle: string) => repo.casesProposedBy(db, handle),
  };
}

export type ProposalsService = ReturnType<typeof createProposalsService>;
