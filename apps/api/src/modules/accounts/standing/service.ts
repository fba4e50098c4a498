/**
 * A member's standing: their role and any suspension. Role changes (from the admin pages or the
 * command line) and suspensions are written to the moderation log in the same transaction.
 *
 * Suspensions: a moderator or admin stops a member from signing in for N days or until lifted.
 * Suspending revokes every session of the member in the same transaction (the route then closes
 * their sockets on every node); RSVPs, posts and follows stay. Each action is in the moderation log.
 */
import type { Role } from '@opsi/contracts/accounts';
import type { AdminPeoplePage, AdminPeopleQuery, AdminPerson } from '@opsi/contracts/admin';
import type { Suspension, SuspensionBody, SuspensionList } from '@opsi/contracts/moderation';
import type { Database } from '@opsi/db/database';
import type { TransactionExecutor } from '@opsi/db/executor';
import { AppError, problem } from '../../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import { systemClock, type Clock } from '../../../platform/clock.ts';
import type { AuditService } from '../../audit/service.ts';
import * as accounts from '../repository.ts';
import * as repo from './repository.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Moderator {
  id: string;
  handle: string;
  role: Role;
}

function toSuspension(row: repo.SuspensionRow): Suspension {
  return {
    handle: row.handle,
    suspendedAt: row.suspendedAt.toISOString(),
    suspendedUntil: row.suspendedUntil?.toISOString() ?? null,
    reason: row.reason,
  };
}

/** The 403 `account_suspended` sign-in answers, with the end (if any) and the reason in `params`. */
export function suspendedError(row: repo.SuspensionRow): AppError {
  const until = row.suspendedUntil?.toISOString();
  const message = until
    ? `This account is suspended until ${until}.`
    : 'This account is suspended until a moderator lifts the suspension.';
  return new AppError('account_suspended', message, [
    problem('email', 'account_suspended', message, until ? { until, reason: row.reason } : { reason: row.reason }),
  ]);
}

function toPerson(row: repo.PersonRow): AdminPerson {
  return {
    handle: row.handle,
    displayName: row.displayName,
    role: row.role as Role,
    joinedAt: row.createdAt.toISOString(),
    suspension: row.suspendedAt
      ? {
          handle: row.handle,
          suspendedAt: row.suspendedAt.toISOString(),
          suspendedUntil: row.suspendedUntil?.toISOString() ?? null,
          reason: row.suspensionReason ?? '',
        }
      : null,
  };
}

export function createStandingService(database: Database, deps: { audit: AuditService; now?: Clock }) {
  const db = database.kysely;
  const now = deps.now ?? systemClock;

  async function target(actor: Moderator, handle: string) {
    const member = await accounts.findUserByHandle(db, handle);
    if (!member) throw new AppError('not_found', `No member @${handle}`);
    if (member.id === actor.id) {
      const message = 'You cannot suspend yourself.';
      throw new AppError('rule_violation', message, [problem('handle', 'cannot_moderate', message, { value: handle })]);
    }
    if (member.role !== 'member' && member.role !== 'organiser' && actor.role !== 'admin') {
      throw new AppError('forbidden', 'Only an admin can suspend a moderator or an admin');
    }
    return member;
  }

  const service = {
    /** The suspension in force for this member, if any. */
    current: (userId: string) => repo.suspensionOf(db, userId, now()),

    /**
     * Suspends (or replaces a suspension); returns it with the ids of the sessions revoked. On the
     * caller's transaction when given one (a report resolved by a suspension commits with it).
     */
    async suspend(actor: Moderator, handle: string, body: SuspensionBody, on?: TransactionExecutor) {
      const member = await target(actor, handle);
      const at = now();
      const until = body.days === null ? null : new Date(at.getTime() + body.days * DAY_MS);
      const run = async (trx: TransactionExecutor) => {
        await repo.setSuspension(trx, member.id, at, until, body.reason);
        const revoked = await accounts.deleteOtherSessions(trx, member.id, null);
        await deps.audit.record(trx, {
          actor,
          action: 'suspend',
          targetType: 'person',
          targetId: member.id,
          target: member.handle,
          reason: body.reason,
          details: { days: body.days, until: until?.toISOString() ?? null, sessionsRevoked: revoked.length },
        });
        const suspension: Suspension = {
          handle: member.handle,
          suspendedAt: at.toISOString(),
          suspendedUntil: until?.toISOString() ?? null,
          reason: body.reason,
        };
        return { suspension, revoked };
      };
      return on ? run(on) : db.transaction().execute(run);
    },

    /** Lifts the suspension in force; false (and nothing logged) when there was none. */
    async lift(actor: Moderator, handle: string, reason: string): Promise<boolean> {
      const member = await target(actor, handle);
      return db.transaction().execute(async (trx) => {
        if (!(await repo.clearSuspension(trx, member.id, now()))) return false;
        await deps.audit.record(trx, {
          actor,
          action: 'lift_suspension',
          targetType: 'person',
          targetId: member.id,
          target: member.handle,
          reason,
        });
        return true;
      });
    },

    /**
     * Gives a member a role; `actor` null is the command line. Returns the previous role, or
     * undefined when no member has the handle. An admin cannot take away their own admin role.
     */
    async setRole(actor: Moderator | null, handle: string, role: Role, reason = ''): Promise<Role | undefined> {
      const member = await accounts.findUserByHandle(db, handle);
      if (!member) return undefined;
      if (actor && member.id === actor.id && role !== 'admin') {
        const message = 'You cannot take away your own admin role.';
        throw new AppError('rule_violation', message, [problem('role', 'cannot_moderate', message, { value: handle })]);
      }
      const previous = member.role as Role;
      if (previous === role) return previous;
      await db.transaction().execute(async (trx) => {
        await accounts.setRole(trx, handle, role);
        await deps.audit.record(trx, {
          actor,
          action: 'set_role',
          targetType: 'person',
          targetId: member.id,
          target: member.handle,
          reason,
          details: { from: previous, to: role },
        });
      });
      return previous;
    },

    /** Members for the admin pages, newest first: search, role and suspension filters. */
    async people(query: AdminPeopleQuery): Promise<AdminPeoplePage> {
      const limit = query.limit ?? 20;
      const beforeId = query.cursor ? decodeCursor(query.cursor).afterId : undefined;
      const q = query.q?.trim();
      const rows = await repo.listPeople(db, now(), {
        limit: limit + 1,
        ...(beforeId ? { beforeId } : {}),
        ...(q ? { q } : {}),
        ...(query.role ? { role: query.role } : {}),
        ...(query.suspended !== undefined ? { suspended: query.suspended } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toPerson),
        nextCursor: rows.length > limit && last ? encodeCursor({ afterId: last.id }) : null,
      };
    },

    /**
     * An admin gives a member a role (logged with the reason); the member's sessions carry the new
     * role on their next request (sessions are read with the member's row every time). Returns the
     * member as now, with their id (to reconnect their sockets), or 404.
     */
    async changeRole(actor: Moderator, handle: string, role: Role, reason: string) {
      const previous = await service.setRole(actor, handle, role, reason);
      const row = previous === undefined ? undefined : await repo.findPerson(db, now(), handle);
      if (!row) throw new AppError('not_found', `No member @${handle}`);
      return { person: toPerson(row), userId: row.id, changed: previous !== role };
    },

    async list(query: { cursor?: string; limit?: number }): Promise<SuspensionList> {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      const after =
        cursor?.afterId && cursor.rank !== undefined
          ? { at: new Date(cursor.rank).toISOString(), id: cursor.afterId }
          : undefined;
      const rows = await repo.listSuspensions(db, now(), limit + 1, after);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toSuspension),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ afterId: last.userId, rank: last.suspendedAt.getTime() }) : null,
      };
    },
  };
  return service;
}

export type StandingService = ReturnType<typeof createStandingService>;
