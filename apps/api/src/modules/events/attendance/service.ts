/**
 * Who comes: the attendee list (everything for organisers, those going who chose to be listed for
 * everyone else), its CSV export, check-ins at the door by ticket code or handle, and an
 * organiser's message to everyone going.
 */
import { randomUUID } from 'node:crypto';
import type {
  AttendeeList,
  CheckinBody,
  CheckinResult,
  EventMessage,
  RsvpResult,
  SentEventMessageList,
} from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import { refuseCancelled, type EventAccess, type EventActor } from '../access.ts';
import { emailJobs } from '../effects.ts';
import { checkIn, listAttendees, listedGoing, sendMessage, sentMessages } from './repository.ts';

/** The messages an organiser sees on the event's dashboard: the latest ones. */
const MESSAGES_SHOWN = 100;

export function createAttendanceService(db: Database['kysely'], access: EventAccess) {
  return {
    async attendees(actor: EventActor | null, slug: string): Promise<AttendeeList> {
      const e = await access.load(slug);
      const counts = { goingCount: e.goingCount, waitlistCount: e.waitlistCount, interestedCount: e.interestedCount };
      if (await access.canManage(actor, e)) {
        const rows = await listAttendees(db, e.id);
        return {
          items: rows.map((r) => ({
            handle: r.handle,
            displayName: r.displayName,
            status: r.status as RsvpResult['status'],
            waitlistPosition: r.position,
            listed: r.listed,
            ticketCode: r.ticketCode,
            checkedInAt: r.checkedInAt?.toISOString() ?? null,
            rsvpAt: r.decidedAt.toISOString(),
          })),
          full: true,
          ...counts,
          checkedInCount: rows.filter((r) => r.status === 'going' && r.checkedInAt).length,
        };
      }
      return { items: await listedGoing(db, e.id), full: false, ...counts };
    },

    async attendeesCsv(actor: EventActor | null, slug: string): Promise<{ filename: string; csv: string }> {
      const e = await access.managed(actor, slug, 'export the attendees of');
      const rows = await listAttendees(db, e.id);
      const header = [
        'name',
        'handle',
        'email',
        'status',
        'waitlist_position',
        'listed',
        'ticket_code',
        'checked_in_at',
        'rsvp_at',
      ];
      const lines = [
        header,
        ...rows.map((r) => [
          r.displayName,
          r.handle,
          r.email,
          r.status,
          r.position === null ? '' : String(r.position),
          r.listed ? 'yes' : 'no',
          r.status === 'going' ? r.ticketCode : '',
          r.checkedInAt?.toISOString() ?? '',
          r.decidedAt.toISOString(),
        ]),
      ];
      return {
        filename: `${e.slug}-attendees.csv`,
        csv: `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`,
      };
    },

    async checkIn(actor: EventActor | null, slug: string, body: CheckinBody): Promise<CheckinResult> {
      const e = await access.managed(actor, slug, 'check people in to');
      refuseCancelled(e, 'there is no one to check in');
      const who =
        'code' in body ? { code: body.code.trim().toUpperCase().replace(/[\s-]/g, '') } : { handle: body.handle };
      const outcome = await checkIn(db, e.id, who, actor!.id);
      if (outcome.kind === 'unknown') {
        throw new AppError(
          'not_found',
          'code' in body ? 'No ticket with this code for this event' : 'This member has no RSVP for this event',
        );
      }
      if (outcome.kind === 'not_going') {
        throw new AppError('rule_violation', `${outcome.person.displayName} is ${outcome.status}, not going`, [
          problem('code' in body ? 'code' : 'handle', 'not_going', `status is ${outcome.status}`, {
            status: outcome.status,
          }),
        ]);
      }
      return {
        attendee: { handle: outcome.person.handle, displayName: outcome.person.displayName },
        checkedInAt: outcome.checkedInAt.toISOString(),
        alreadyCheckedIn: outcome.already,
        checkedInCount: outcome.checkedIn,
        goingCount: outcome.going,
      };
    },

    async message(actor: EventActor | null, slug: string, body: EventMessage): Promise<{ recipients: number }> {
      const e = await access.managed(actor, slug, 'message the attendees of');
      refuseCancelled(e, 'everyone who answered was told; it takes no more messages');
      const subject = body.subject.trim();
      const text = body.body.replaceAll('\u0000', '');
      const recipients = await sendMessage(db, { eventId: e.id, senderId: actor!.id, subject, body: text }, (people) =>
        emailJobs('email.event_message', e.id, people, randomUUID(), { subject, body: text, fromUserId: actor!.id }),
      );
      return { recipients };
    },

    /** What the organisers sent to those going, newest first (the last MESSAGES_SHOWN). */
    async sentMessages(actor: EventActor | null, slug: string): Promise<SentEventMessageList> {
      const e = await access.managed(actor, slug, 'see the messages of');
      const rows = await sentMessages(db, e.id, MESSAGES_SHOWN);
      return {
        items: rows.map((r) => ({
          id: r.id,
          subject: r.subject,
          body: r.body,
          sender: r.senderHandle ? { handle: r.senderHandle, displayName: r.senderName ?? '' } : null,
          recipients: r.recipients,
          sentAt: r.createdAt.toISOString(),
        })),
      };
    },
  };
}

/** RFC 4180 cell; a leading =, +, - or @ is prefixed so spreadsheets never run it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
