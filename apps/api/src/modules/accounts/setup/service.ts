/**
 * The first admin without the command line (README, "The first admin"): while the site has no
 * admin, each start offers a one-time setup link (printed in the server's log); a signed-in member
 * who opens it becomes admin. The token is random (32 bytes), stored hashed, expires after
 * SETUP_LINK_HOURS, works once, and no longer works at all once the site has an admin.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { AuditService } from '../../audit/service.ts';
import * as accounts from '../repository.ts';
import * as repo from './repository.ts';

export interface SetupService {
  /** A new link's token and expiry, or null when the site has an admin already. */
  offer(): Promise<{ token: string; expiresAt: Date } | null>;
  /** Makes `user` the admin with the link's token; 422 (field `token`) when unknown, used or expired; 409 when an admin exists. */
  claim(user: { id: string; handle: string }, token: string): Promise<void>;
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSetupService(
  database: Database,
  deps: { audit: AuditService; now: Clock; lifetimeHours: number },
): SetupService {
  const db = database.kysely;
  return {
    async offer() {
      if (await repo.hasAdmin(db)) return null;
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(deps.now().getTime() + deps.lifetimeHours * 3_600_000);
      await repo.insertLink(db, hash(token), expiresAt);
      return { token, expiresAt };
    },

    async claim(user, token) {
      await db.transaction().execute(async (trx) => {
        await repo.lockClaims(trx);
        if (await repo.hasAdmin(trx)) {
          throw new AppError('conflict', 'This site has an admin already: ask them for a role.');
        }
        if (!(await repo.useLink(trx, hash(token), user.id, deps.now()))) {
          const message = 'This setup link is unknown, used already or expired: restart the server for a new one.';
          throw new AppError('rule_violation', message, [problem('token', 'link_invalid', message)]);
        }
        const member = await accounts.findUserByHandle(trx, user.handle);
        await accounts.setRole(trx, user.handle, 'admin');
        await deps.audit.record(trx, {
          actor: null,
          action: 'set_role',
          targetType: 'person',
          targetId: user.id,
          target: user.handle,
          reason: 'setup link',
          details: { from: member?.role ?? 'member', to: 'admin' },
        });
      });
    },
  };
}
