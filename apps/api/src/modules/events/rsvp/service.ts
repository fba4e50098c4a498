/** Answering an event: going (or the waitlist when full), interested or declined; withdrawing. */
import { randomUUID } from 'node:crypto';
import type { RsvpBody, RsvpResult, RsvpStatus } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import { AppError, problem } from '../../../platform/errors.ts';
import type { EventActor } from '../access.ts';
import { emailJobs, rsvpActivity } from '../effects.ts';
import { createRsvpQueue } from './queue.ts';
import { answeredEvents, applyRsvpsIn, deleteRsvpsOf, type RsvpTransaction } from './repository.ts';

const TICKET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newTicketCode(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => TICKET_ALPHABET[b % TICKET_ALPHABET.length]).join('');
}

/**
 * A member who just became going or waitlisted by their own answer gets a confirmation email
 * (notices/: the ticket and the .ics, or their place in line); other answers send none.
 */
function confirmationJobs(eventId: string, userId: string, status: RsvpStatus) {
  return status === 'going' || status === 'waitlisted'
    ? emailJobs('email.rsvp_confirmed', eventId, [userId], `confirmed:${randomUUID()}`, { status })
    : [];
}

/** Built once per app (plugin.ts: fastify.events), so one queue batches the answers to each event. */
export function createRsvpService(db: Database['kysely'], clock: Clock) {
  const rsvpQueue = createRsvpQueue(db, clock);

  return {
    /** `quiet`: no confirmation email (the demo data's answers). */
    async rsvp(
      actor: EventActor | null,
      slug: string,
      body: RsvpBody | { status: 'remove' },
      { quiet = false }: { quiet?: boolean } = {},
    ): Promise<RsvpResult> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to answer');
      const choice = body.status === 'remove' ? 'declined' : body.status;
      const outcome = await rsvpQueue.submit(slug, {
        input: {
          userId: actor.id,
          choice,
          listed: 'listed' in body ? body.listed : undefined,
          newTicketCode: newTicketCode(),
        },
        effects: {
          activity: (e, o) => rsvpActivity(e, actor.id, o),
          jobs: (e, promoted, o) => [
            ...emailJobs('email.rsvp_promoted', e.id, promoted, randomUUID(), {}),
            ...(quiet ? [] : confirmationJobs(e.id, actor.id, o.status)),
          ],
        },
      });
      switch (outcome.kind) {
        case 'missing':
          throw new AppError('not_found', `No event with slug "${slug}"`);
        case 'cancelled':
          throw new AppError('rule_violation', 'This event was cancelled', [
            problem('status', 'event_cancelled', 'the event was cancelled'),
          ]);
        case 'closed':
          throw new AppError('rule_violation', 'RSVPs are closed for this event', [
            problem('status', 'rsvp_closed', 'RSVPs are closed'),
          ]);
        case 'ok':
          return {
            status: outcome.status,
            waitlistPosition: outcome.position,
            listed: outcome.listed,
            ticketCode: outcome.status === 'going' ? outcome.ticketCode : null,
            goingCount: outcome.counts.goingCount,
            waitlistCount: outcome.counts.waitlistCount,
            capacity: outcome.event.capacity,
          };
      }
    },

    /**
     * A member deletes their account (privacy/service.ts), in its transaction: every answer is
     * declined first, exactly as DELETE …/rsvp does (each seat freed promotes the head of the
     * waitlist, who is told and emailed), then the rows go. The activities name no one who left.
     */
    async withdrawAll(trx: RsvpTransaction, userId: string): Promise<void> {
      for (const eventId of await answeredEvents(trx, userId)) {
        await applyRsvpsIn(
          trx,
          { id: eventId },
          [
            {
              input: { userId, choice: 'declined', listed: undefined, newTicketCode: newTicketCode() },
              effects: {
                activity: (e, o) => rsvpActivity(e, null, o),
                jobs: (e, promoted) => emailJobs('email.rsvp_promoted', e.id, promoted, randomUUID(), {}),
              },
            },
          ],
          clock(),
        );
      }
      await deleteRsvpsOf(trx, userId);
    },
  };
}
