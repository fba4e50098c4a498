/**
 * Reports and what moderators decide about them. A member reports a post, a person, an event or a
 * case (one open report per member and target); a post reported by REPORTS_TO_HIDE distinct trusted
 * members is hidden pending review. Resolving closes every open report on the target in one
 * transaction with the action, its log entry and the notices: the member concerned learns the
 * reason, each reporter the outcome, and no one who acted.
 */
import type { ReportBody, ReportCreatedEvent, ResolveBody, ResolveResult } from '@opsi/contracts/moderation';
import type { Role } from '@opsi/contracts/accounts';
import type { Database } from '@opsi/db/database';
import type { TransactionExecutor } from '@opsi/db/executor';
import { AppError, problem } from '../../platform/errors.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { writerTransaction } from '../../platform/outbox/repository.ts';
import type { AuditService } from '../audit/service.ts';
import type { StandingService } from '../accounts/standing/service.ts';
import type { PostModeration } from '../discussions/hiding/service.ts';
import type { MemberLimits } from '../limits/service.ts';
import type { ModerationNoticeKinds } from './catalogue-entries.ts';
import * as repo from './repository.ts';

export interface Moderator {
  id: string;
  handle: string;
  role: Role;
}

type NoticeKind = (typeof ModerationNoticeKinds)[number];
interface Notice {
  userId: string;
  kind: NoticeKind;
  title: string;
  url: string;
  excerpt: string;
}

export interface ModerationDeps {
  posts: PostModeration;
  audit: AuditService;
  standing: StandingService;
  limits: MemberLimits;
  reportsToHide: number;
  now?: Clock;
}

function notFound(type: string, target: string): AppError {
  return new AppError('not_found', `No ${type} "${target}" to report`);
}

export function createModerationService(database: Database, deps: ModerationDeps) {
  const db = database.kysely;
  const now = deps.now ?? systemClock;

  async function notify(trx: TransactionExecutor, notices: Notice[]): Promise<void> {
    if (!notices.length) return;
    await repo.insertNotices(trx, {
      objectType: 'moderation',
      objectId: notices[0]!.userId,
      actorId: null,
      countries: [],
      themes: [],
      isPublic: false,
      verb: 'notice',
      payload: { notices },
    });
  }

  /** A post's author learns it was hidden, and why. */
  function hiddenNotice(post: repo.TargetRow, reason: string): Notice[] {
    return post.ownerId
      ? [{ userId: post.ownerId, kind: 'post_hidden', title: post.title, url: post.url, excerpt: reason }]
      : [];
  }

  async function hideIn(trx: TransactionExecutor, by: Moderator | null, post: repo.TargetRow, reason: string) {
    const changed = await deps.posts.hide(trx, by?.id ?? null, post.id, reason, now());
    if (!changed) return false;
    await deps.audit.record(trx, {
      actor: by && { id: by.id, handle: by.handle },
      action: 'hide',
      targetType: 'post',
      targetId: post.id,
      target: post.target,
      reason,
      details: { author: post.ownerId },
    });
    await notify(trx, hiddenNotice(post, reason));
    return true;
  }

  async function livePost(id: string): Promise<repo.TargetRow> {
    const post = await repo.findTarget(db, 'post', id);
    if (!post) throw new AppError('not_found', `No post with id "${id}"`);
    return post;
  }

  return {
    /**
     * Files a report: `created` false with the member's open report on the same target. The
     * summary is for the moderators' live queue.
     */
    async report(
      actor: { id: string },
      body: ReportBody,
    ): Promise<{ id: string; created: boolean; summary: ReportCreatedEvent | null }> {
      const target = await repo.findTarget(db, body.targetType, body.target);
      if (!target) throw notFound(body.targetType, body.target);
      if (target.ownerId === actor.id) {
        const message =
          body.targetType === 'person' ? 'You cannot report yourself.' : 'You cannot report your own post.';
        throw new AppError('rule_violation', message, [
          problem('target', 'cannot_report_self', message, { value: body.target }),
        ]);
      }
      const existing = await repo.openReportOf(db, actor.id, body.targetType, target.id);
      if (existing) return { id: existing, created: false, summary: null };
      await deps.limits.take(actor.id, 'report');
      const at = now();
      return writerTransaction(db, async (trx) => {
        const filed = await repo.insertReport(trx, {
          reporterId: actor.id,
          type: body.targetType,
          targetId: target.id,
          reason: body.reason,
          note: body.note?.trim() ?? '',
          at,
        });
        if (!filed.created) return { id: filed.id, created: false, summary: null };
        if (body.targetType === 'post') {
          const trusted = await repo.trustedReporters(trx, 'post', target.id);
          if (trusted >= deps.reportsToHide) await hideIn(trx, null, target, `reported by ${trusted} members`);
        }
        const reportCount = await repo.openReportCount(trx, body.targetType, target.id);
        const summary: ReportCreatedEvent = {
          id: filed.id,
          targetType: body.targetType,
          target: target.target,
          reason: body.reason,
          reportCount,
          createdAt: at.toISOString(),
        };
        return { id: filed.id, created: true, summary };
      });
    },

    /**
     * Resolves every open report on the target of report `reportId` with one action. Returns the
     * sessions a suspension revoked (the route closes their sockets).
     */
    async resolve(
      actor: Moderator,
      reportId: string,
      body: ResolveBody,
    ): Promise<{ result: ResolveResult; revoked: string[] }> {
      const report = await repo.findReport(db, reportId);
      if (!report) throw new AppError('not_found', `No report "${reportId}"`);
      const [target] = await repo.describeTargets(db, report.type, [report.targetId]);
      if (!target) throw new AppError('not_found', `The target of report "${reportId}" is gone`);
      const { action, reason } = body;
      const onPost = report.type === 'post';
      const member = onPost || report.type === 'person' ? target.ownerId : null;
      const applies =
        action === 'dismiss' ||
        ((action === 'hide' || action === 'delete') && onPost && !target.deleted) ||
        ((action === 'warn' || action === 'suspend') && member !== null);
      if (!applies) {
        const message = `“${action}” does not apply to this ${report.type}.`;
        throw new AppError('rule_violation', message, [
          problem('action', 'action_not_applicable', message, { value: action }),
        ]);
      }
      const memberRow = member ? (await repo.describeTargets(db, 'person', [member]))[0] : undefined;
      const at = now();
      return writerTransaction(db, async (trx) => {
        const closed = await repo.resolveOpen(trx, report.type, report.targetId, { by: actor.id, action, at });
        if (!closed.count) throw new AppError('conflict', 'These reports are already resolved');
        const notices: Notice[] = [];
        let revoked: string[] = [];
        const logged = { actor: { id: actor.id, handle: actor.handle }, reason };
        const details = { report: reportId, reports: closed.count, reported: target.target };
        if (action === 'hide') {
          await deps.posts.hide(trx, actor.id, target.id, reason, at);
          notices.push(...hiddenNotice(target, reason));
        } else if (action === 'delete') {
          await deps.posts.remove(trx, actor.id, target.id);
          if (target.ownerId) {
            notices.push({
              userId: target.ownerId,
              kind: 'post_deleted',
              title: target.title,
              url: target.url,
              excerpt: reason,
            });
          }
        } else if (action === 'warn' && memberRow) {
          notices.push({
            userId: memberRow.id,
            kind: 'moderation_warning',
            title: target.title,
            url: target.url,
            excerpt: reason,
          });
        } else if (action === 'suspend' && memberRow) {
          revoked = (await deps.standing.suspend(actor, memberRow.target, { reason, days: body.days ?? null }, trx))
            .revoked;
        }
        // The log: a hide or delete is about the post, a warning about the member (a suspension
        // is logged by the standing service), a dismissal about what was reported.
        if (action !== 'suspend') {
          const aboutMember = action === 'warn' && memberRow;
          await deps.audit.record(trx, {
            ...logged,
            action,
            targetType: aboutMember ? 'person' : report.type,
            targetId: aboutMember ? memberRow.id : target.id,
            target: aboutMember ? memberRow.target : target.target,
            details,
          });
        }
        const outcome: NoticeKind = action === 'dismiss' ? 'report_dismissed' : 'report_actioned';
        for (const userId of closed.reporterIds) {
          notices.push({ userId, kind: outcome, title: target.title, url: target.url, excerpt: '' });
        }
        await notify(trx, notices);
        return { result: { action, resolved: closed.count }, revoked };
      });
    },

    /** Hides a post by hand (its open reports stay open); false when it already was hidden. */
    async hide(actor: Moderator, postId: string, reason: string): Promise<boolean> {
      const post = await livePost(postId);
      return writerTransaction(db, (trx) => hideIn(trx, actor, post, reason));
    },

    /** Shows a hidden post again; false when it was not hidden. */
    async unhide(actor: Moderator, postId: string, reason: string): Promise<boolean> {
      const post = await livePost(postId);
      return writerTransaction(db, async (trx) => {
        if (!(await deps.posts.unhide(trx, actor.id, post.id))) return false;
        await deps.audit.record(trx, {
          actor: { id: actor.id, handle: actor.handle },
          action: 'unhide',
          targetType: 'post',
          targetId: post.id,
          target: post.target,
          reason,
          details: { author: post.ownerId },
        });
        return true;
      });
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
