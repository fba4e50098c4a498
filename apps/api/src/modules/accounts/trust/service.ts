/**
 * A moderator or admin trusts a member (the new-member limits stop at once) or takes the trust
 * back (they apply again while the member is within NEW_MEMBER_DAYS, and the member can earn it
 * again later). Each change is in the moderation log, written in the same transaction.
 */
import type { TrustState } from '@opsi/contracts/member-tools';
import type { Database } from '@opsi/db/database';
import { AppError } from '../../../platform/errors.ts';
import { systemClock, type Clock } from '../../../platform/clock.ts';
import type { AuditService } from '../../audit/service.ts';
import * as accounts from '../repository.ts';
import * as repo from './repository.ts';

export function createTrustService(database: Database, deps: { audit: AuditService; now?: Clock }) {
  const db = database.kysely;
  const now = deps.now ?? systemClock;

  return {
    async set(
      actor: { id: string; handle: string },
      handle: string,
      trusted: boolean,
      reason: string,
    ): Promise<TrustState> {
      const member = await accounts.findUserByHandle(db, handle);
      if (!member) throw new AppError('not_found', `No member @${handle}`);
      const trustedAt = await db.transaction().execute(async (trx) => {
        const at = await repo.setTrusted(trx, member.id, trusted ? now() : null);
        await deps.audit.record(trx, {
          actor,
          action: 'trust',
          targetType: 'person',
          targetId: member.id,
          target: member.handle,
          reason,
          details: { trusted },
        });
        return at;
      });
      return { handle: member.handle, trusted, trustedAt: trustedAt?.toISOString() ?? null };
    },
  };
}

export type TrustService = ReturnType<typeof createTrustService>;
