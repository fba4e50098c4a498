/**
 * A moderator's own edits, deletions and redactions of someone else's post go to the moderation
 * log, in the transaction that makes them (the moderation queue's decisions log themselves).
 */
import type { TransactionExecutor } from '@opsi/db/executor';
import type { AuditService } from '../audit/service.ts';

export type AlsoInTransaction = (trx: TransactionExecutor) => Promise<void>;

export function moderatorLog(audit: AuditService | undefined) {
  return (
    actor: { id: string; handle?: string },
    authorId: string,
    action: 'edit' | 'delete' | 'redact_revision',
    postId: string,
    reason = '',
    details: Record<string, unknown> = {},
  ): AlsoInTransaction | undefined => {
    // The author's own changes are theirs, not moderation.
    if (!audit || actor.id === authorId) return undefined;
    return async (trx) => {
      await audit.record(trx, {
        actor: { id: actor.id, handle: actor.handle ?? null },
        action,
        targetType: 'post',
        targetId: postId,
        target: postId,
        reason,
        details,
      });
    };
  };
}
