/** Invitations to co-organise an event: the caller's list, and their answer (accept or decline). */
import type { EventDetail, OrganiserInvitationList } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import { AppError } from '../../../platform/errors.ts';
import { CREATORS, type EventAccess, type EventActor } from '../access.ts';
import { person, toSummary } from '../catalogue/detail.ts';
import type { EventRow } from '../repository.ts';
import { acceptInvitation, declineInvitation, pendingInvitation, pendingInvitationsOf } from './repository.ts';

export function createInvitationsService(
  db: Database['kysely'],
  access: EventAccess,
  detail: (e: EventRow, viewer: EventActor | null) => Promise<EventDetail>,
  clock: Clock,
) {
  return {
    /** The caller's unanswered invitations to co-organise events not over yet, newest first. */
    async organiserInvitations(actor: EventActor | null): Promise<OrganiserInvitationList> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see your invitations');
      const rows = await pendingInvitationsOf(db, actor.id, clock());
      return {
        items: rows.map((r) => ({
          event: toSummary(r.event),
          invitedBy: r.invitedBy && person(r.invitedBy),
          invitedAt: r.invitedAt.toISOString(),
        })),
      };
    },

    /**
     * The invitee's answer to an invitation to co-organise. Accepting needs the role to organise
     * (organiser or admin) at that moment; declining is final for this event (it cannot name them
     * again). 404 when there is no invitation waiting for the caller.
     */
    async answerInvitation(actor: EventActor | null, slug: string, answer: 'accept' | 'decline'): Promise<EventDetail> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to answer this invitation');
      const e = await access.load(slug);
      const none = () => new AppError('not_found', 'You have no invitation to co-organise this event');
      if (answer === 'accept') {
        if (!(await pendingInvitation(db, e.id, actor.id))) throw none();
        if (!CREATORS.includes(actor.role))
          throw new AppError('forbidden', 'Only organisers and admins can organise events: ask an admin for the role');
        if (!(await acceptInvitation(db, e.id, actor.id))) throw none();
      } else if (!(await declineInvitation(db, e.id, actor.id))) throw none();
      return detail(e, actor);
    },
  };
}
