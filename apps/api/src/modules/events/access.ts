/** Who may do what to an event: find it, manage it (its organisers and admins), and what a cancelled event refuses. */
import type { Role } from '@opsi/contracts/accounts';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { isOrganiser } from './invitations/repository.ts';
import { findEvent, type EventRow } from './repository.ts';

export interface EventActor {
  id: string;
  role: Role;
}

/** The roles that may create and organise events. */
export const CREATORS: Role[] = ['organiser', 'admin'];

/** What a cancelled event refuses: edits, messages, check-ins (409, the status named). */
export function cancelledError(what: string): AppError {
  return new AppError('conflict', `This event was cancelled: ${what}`, [
    problem('status', 'event_cancelled', 'the event was cancelled'),
  ]);
}

export function refuseCancelled(e: EventRow, what: string): void {
  if (e.status === 'cancelled') throw cancelledError(what);
}

export function createEventAccess(db: Database['kysely']) {
  async function load(slug: string): Promise<EventRow> {
    const e = await findEvent(db, slug);
    if (!e) throw new AppError('not_found', `No event with slug "${slug}"`);
    return e;
  }

  /**
   * Admins manage every event; an organiser manages the events they organise, while they hold a
   * role that may organise. The role is the one on the user row, read on every request
   * (plugins/session.ts), so a member demoted to `member` (or `moderator`) loses every event at once,
   * though they stay named on it (given the role back, they have it back).
   */
  async function canManage(actor: EventActor | null, e: EventRow): Promise<boolean> {
    if (!actor || !CREATORS.includes(actor.role)) return false;
    if (actor.role === 'admin') return true;
    return isOrganiser(db, e.id, actor.id);
  }

  /** The event, when the actor may manage it (401 signed out, 404 no such event, 403 not theirs). */
  async function managed(actor: EventActor | null, slug: string, verb: string): Promise<EventRow> {
    if (!actor) throw new AppError('unauthorized', `Sign in to ${verb} this event`);
    const e = await load(slug);
    if (!(await canManage(actor, e))) throw new AppError('forbidden', `Only this event’s organisers can ${verb} it`);
    return e;
  }

  return { load, canManage, managed };
}

export type EventAccess = ReturnType<typeof createEventAccess>;
