/**
 * The moderation queue: open (or resolved) reports grouped by target, the most recently reported
 * first, each with what a moderator needs to decide: the reports with their reporters and notes,
 * the post in its thread (its text even when hidden), the member's record and earlier log entries.
 */
import type {
  MemberHistory,
  QueuePost,
  ReportContext,
  ReportGroup,
  ReportPage,
  ReportQuery,
  ReportReason,
} from '@opsi/contracts/moderation';
import type { Database } from '@opsi/db/database';
import { decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import type { AuditService } from '../../audit/service.ts';
import type { StandingService } from '../../accounts/standing/service.ts';
import * as reports from '../repository.ts';
import * as repo from './repository.ts';

/** Posts shown before and after a reported one. */
const AROUND = 2;

function toQueuePost(r: repo.QueuePostRow): QueuePost {
  return {
    id: r.id,
    parentId: r.parentId,
    author: { handle: r.authorHandle, displayName: r.authorName },
    body: r.body,
    bodyHtml: r.bodyHtml,
    createdAt: r.createdAt.toISOString(),
    deleted: r.deletedAt !== null,
    hidden: r.hiddenAt !== null,
    hiddenReason: r.hiddenReason,
  };
}

export function createQueue(database: Database, deps: { audit: AuditService; standing: StandingService }) {
  const db = database.kysely;

  async function history(userId: string): Promise<MemberHistory | undefined> {
    const record = await repo.memberRecord(db, userId);
    if (!record) return undefined;
    const [log, suspension] = await Promise.all([
      deps.audit.list({ targetType: 'person', target: record.handle, limit: 10 }),
      deps.standing.current(userId),
    ]);
    return {
      handle: record.handle,
      displayName: record.displayName,
      role: record.role,
      joinedAt: record.joinedAt.toISOString(),
      postCount: record.posts,
      hiddenPostCount: record.hidden,
      log: log.items,
      suspension: suspension
        ? {
            handle: suspension.handle,
            suspendedAt: suspension.suspendedAt.toISOString(),
            suspendedUntil: suspension.suspendedUntil?.toISOString() ?? null,
            reason: suspension.reason,
          }
        : null,
    };
  }

  async function contextOf(type: reports.TargetType, targetId: string): Promise<ReportContext> {
    if (type === 'post') {
      const post = await repo.queuePost(db, targetId);
      if (!post) return {};
      const [thread, thecase, member] = await Promise.all([
        repo.postsAround(db, post, AROUND),
        repo.caseOfPost(db, post.caseId),
        history(post.authorId),
      ]);
      return { post: toQueuePost(post), case: thecase, thread: thread.map(toQueuePost), ...(member ? { member } : {}) };
    }
    if (type === 'person') {
      const member = await history(targetId);
      return member ? { member } : {};
    }
    if (type === 'event') {
      const event = await repo.eventBasics(db, targetId);
      return event ? { event: { ...event, startsAt: event.startsAt.toISOString() } } : {};
    }
    const found = await repo.caseBasics(db, targetId);
    return found ? { case: found } : {};
  }

  return {
    async list(query: ReportQuery): Promise<ReportPage> {
      const status = query.status ?? 'open';
      const limit = query.limit ?? 20;
      const before = query.cursor ? decodeCursor(query.cursor).afterId : undefined;
      const groups = await reports.listGroups(db, status, limit + 1, before);
      const page = groups.slice(0, limit);
      const rows = await reports.reportsOn(db, status, page);
      const items = await Promise.all(
        page.map(async (g): Promise<ReportGroup> => {
          const [target] = await reports.describeTargets(db, g.type, [g.targetId]);
          const own = rows.filter((r) => r.type === g.type && r.targetId === g.targetId);
          const reasons: Record<string, number> = {};
          for (const r of own) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
          return {
            id: g.firstId,
            targetType: g.type,
            target: target?.target ?? g.targetId,
            reasons,
            reportCount: g.count,
            firstReportedAt: g.firstAt.toISOString(),
            lastReportedAt: g.lastAt.toISOString(),
            status,
            resolution: g.resolution,
            reports: own.map((r) => ({
              id: r.id,
              reporter: r.reporterHandle ? { handle: r.reporterHandle, displayName: r.reporterName ?? '' } : null,
              reason: r.reason as ReportReason,
              note: r.note,
              createdAt: r.createdAt.toISOString(),
            })),
            context: await contextOf(g.type, g.targetId),
          };
        }),
      );
      const last = page.at(-1);
      return { items, nextCursor: groups.length > limit && last ? encodeCursor({ afterId: last.lastId }) : null };
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
