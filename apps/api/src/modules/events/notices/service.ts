/**
 * What the events module's jobs do (registered in notices/jobs.ts): the day-before reminders, and one email
 * per member for a seat from the waitlist, a new time or place, a cancellation, an organiser's
 * message. Jobs run at least once, so every email is claimed in event_emails before it is handed
 * to the mail server and marked sent after: a job run again (after a crash, on another node) skips
 * what it already sent. A crash between the claim and the hand-over loses that one email rather
 * than risk sending it twice; a refusal by the mail server gives the claim back for the retry.
 *
 * Preferences (notification_prefs, per kind): the in-app notifications come from the activities,
 * as for every kind (notifications/service.ts; "off" means none). These emails follow the same
 * per-kind channel: sent when it is "email", the default for the four event kinds (see
 * defaultChannel in @opsi/contracts/follows), and not when the member chose "in_app" (what the
 * emails' unsubscribe link sets), "digest" or "off". An organiser's message is not a notification
 * kind: it goes to everyone going. The confirmation of a member's own answer (going: the ticket
 * and the event as an .ics attachment; waitlisted: their place in line) has no kind of its own: it
 * follows the member's `event_reminder` channel (the emails about events they are going to).
 *
 * Every event email has a Reply-To of the organiser: the verified address of the member who
 * created the event (when an event has several organisers, its creator answers), and for an
 * organiser's message the verified address of the organiser who sent it. No verified address, no
 * Reply-To (replies then go to MAIL_FROM).
 */
import type { NotificationKind } from '@opsi/contracts/follows';
import type { Database } from '@opsi/db/database';
import { renderMarkdown } from '../../../platform/markdown.ts';
import type { MailMessage } from '../../../platform/mail.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Job } from '../../../platform/jobs/catalogue.ts';
import { channelOf } from '../../notifications/service.ts';
import { activity, emailJobs } from '../effects.ts';
import { findEventById, userById, type EventRow } from '../repository.ts';
import { findRsvp } from '../rsvp/repository.ts';
import { calendarEvent, renderCalendar } from '../calendar/ics.ts';
import * as repo from './repository.ts';
import {
  cancelledLetter,
  changedLetter,
  confirmedLetter,
  messageLetter,
  promotedLetter,
  reminderLetter,
  type Change,
  type Letter,
  type Locale,
  type Reader,
} from './mail.ts';

/** The job kinds these handle (jobs.ts registers one handler each). */
export const EVENT_JOB_KINDS = [
  'event.reminders',
  'email.event_reminder',
  'email.rsvp_promoted',
  'email.rsvp_confirmed',
  'email.event_changed',
  'email.event_cancelled',
  'email.event_message',
] as const;

export interface NoticeDeps {
  send(message: MailMessage): Promise<void>;
  /** The unsubscribe page and List-Unsubscribe headers for a member and kind (digests service). */
  unsubscribe(
    userId: string,
    kind: NotificationKind,
    locale: string,
  ): Promise<{ page: string; headers: Record<string, string> }>;
}

/** Who an email is for, and whether it still makes sense to send it. */
interface Context {
  event: EventRow;
  reader: Reader;
}

/** The kinds of job that email one member (their payload names the event and the member). */
type EmailKind = Exclude<(typeof EVENT_JOB_KINDS)[number], 'event.reminders'>;

/** `clock` (the app's) says whether an email is still due: the event not begun, not over. */
export function createEventNoticesService(database: Database, publicOrigin: string, clock: Clock, deps: NoticeDeps) {
  const db = database.kysely;

  /**
   * One email to one member: skipped when the event or member is gone, when `wanted` says it is
   * moot now, or when the member does not want email for `kind`; otherwise claimed, sent, marked.
   */
  async function deliver(
    job: Job<EmailKind>,
    ledgerKind: string,
    kind: NotificationKind | null,
    wanted: (c: Context) => boolean,
    write: (c: Context, unsubscribe: string) => Letter,
    extras: {
      /** Who replies go to instead of the event's creator (an organiser's message: its sender). */
      replyTo?: string | undefined;
      attachments?: (c: Context) => Promise<MailMessage['attachments']>;
    } = {},
  ): Promise<'sent' | 'skipped' | 'already'> {
    const { eventId, userId } = job.payload;
    const [event, who] = await Promise.all([findEventById(db, eventId), repo.recipient(db, userId)]);
    if (!event || !who) return 'skipped';
    const rsvp = await findRsvp(db, event.id, userId);
    const locale: Locale = who.locale === 'fr' ? 'fr' : 'en';
    const context: Context = {
      event,
      reader: {
        displayName: who.displayName,
        locale,
        status: rsvp?.status ?? null,
        ticketCode: rsvp?.status === 'going' ? rsvp.ticketCode : null,
        waitlistPosition: rsvp?.position ?? null,
      },
    };
    if (!wanted(context)) return 'skipped';
    if (kind && (await channelOf(db, userId, kind)) !== 'email') return 'skipped';
    const unsubscribe = kind ? await deps.unsubscribe(userId, kind, locale) : null;
    const letter = write(context, unsubscribe?.page ?? '');
    const replyTo = extras.replyTo ?? (await repo.recipient(db, event.createdBy))?.email;
    const attachments = await extras.attachments?.(context);
    if (!(await repo.claimEmail(db, { kind: ledgerKind, key: job.key, eventId: event.id, userId }))) return 'already';
    try {
      await deps.send({
        to: who.email,
        subject: letter.subject,
        text: letter.text,
        html: letter.html,
        headers: unsubscribe?.headers ?? {},
        ...(replyTo ? { replyTo } : {}),
        ...(attachments?.length ? { attachments } : {}),
      });
    } catch (error) {
      await repo.releaseEmail(db, ledgerKind, job.key);
      throw error;
    }
    await repo.markEmailSent(db, ledgerKind, job.key);
    return 'sent';
  }

  /** The event as an .ics attachment for someone going (with the online link), its creator as ORGANIZER. */
  async function calendarFile(e: EventRow): Promise<MailMessage['attachments']> {
    const creator = await userById(db, e.createdBy);
    const organiser = creator ? { handle: creator.handle, displayName: creator.displayName } : null;
    const ics = renderCalendar(
      [calendarEvent(e, { organiser, onlineUrl: e.mode === 'in_person' ? null : e.onlineUrl })],
      {
        publicOrigin,
        now: clock(),
      },
    );
    return [{ filename: `${e.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }];
  }

  const upcoming = (e: EventRow) => e.status === 'published' && e.endsAt.getTime() > clock().getTime();
  const notBegun = (e: EventRow, startsAt: string) =>
    e.status === 'published' && e.startsAt.toISOString() === startsAt && e.startsAt.getTime() > clock().getTime();
  const has = (c: Context, ...statuses: string[]) => c.reader.status !== null && statuses.includes(c.reader.status);

  return {
    /**
     * `event.reminders`, the day before: when the event still starts at this job's time (not moved,
     * not cancelled, not begun), one `email.event_reminder` job per member going and one activity
     * for their `event_reminder` notifications. Returns how many members were added.
     */
    async scheduleReminders(job: Job<'event.reminders'>): Promise<number> {
      const { eventId, startsAt } = job.payload;
      const added = await repo.scheduleReminders(db, eventId, {
        due: (e) => notBegun(e, startsAt),
        jobs: (e, userIds) => emailJobs('email.event_reminder', e.id, userIds, startsAt, { startsAt }),
        activity: (e, userIds) => activity('reminded', e, null, { startsAt, remind: userIds }, false),
      });
      return added.length;
    },

    /** `email.event_reminder`: to a member still going, while the event still starts then. */
    reminder: (job: Job<'email.event_reminder'>) =>
      deliver(
        job,
        'event_reminder',
        'event_reminder',
        (c) => notBegun(c.event, job.payload.startsAt) && has(c, 'going'),
        (c, unsubscribe) => reminderLetter(c.event, c.reader, publicOrigin, unsubscribe),
      ),

    /** `email.rsvp_promoted`: the seat and the ticket, unless they have left it since. */
    promoted: (job: Job<'email.rsvp_promoted'>) =>
      deliver(
        job,
        'waitlist_promoted',
        'waitlist_promoted',
        (c) => upcoming(c.event) && has(c, 'going'),
        (c, unsubscribe) => promotedLetter(c.event, c.reader, publicOrigin, unsubscribe),
      ),

    /**
     * `email.rsvp_confirmed`: to a member who said going (their ticket, and the event as an .ics
     * with the online link) or was waitlisted (their place in line now), while that still holds.
     */
    confirmed: (job: Job<'email.rsvp_confirmed'>) =>
      deliver(
        job,
        'rsvp_confirmed',
        'event_reminder',
        (c) => upcoming(c.event) && has(c, job.payload.status),
        (c, unsubscribe) => confirmedLetter(c.event, c.reader, publicOrigin, unsubscribe),
        { attachments: (c) => (c.reader.status === 'going' ? calendarFile(c.event) : Promise.resolve([])) },
      ),

    /** `email.event_changed`: the new time or place, to those still going or waitlisted. */
    changed: (job: Job<'email.event_changed'>) =>
      deliver(
        job,
        'event_changed',
        'event_changed',
        (c) => upcoming(c.event) && has(c, 'going', 'waitlisted'),
        (c, unsubscribe) =>
          changedLetter(
            c.event,
            c.reader,
            publicOrigin,
            (job.payload.changes ?? ['time']).filter((x): x is Change => x === 'time' || x === 'place'),
            unsubscribe,
            job.payload.before
              ? {
                  ...job.payload.before,
                  startsAt: new Date(job.payload.before.startsAt),
                  endsAt: new Date(job.payload.before.endsAt),
                }
              : null,
          ),
      ),

    /** `email.event_cancelled`: to everyone who had answered (unless they have since declined). */
    cancelled: (job: Job<'email.event_cancelled'>) =>
      deliver(
        job,
        'event_cancelled',
        'event_cancelled',
        (c) => c.event.status === 'cancelled' && has(c, 'going', 'waitlisted', 'interested'),
        (c, unsubscribe) => cancelledLetter(c.event, c.reader, publicOrigin, unsubscribe),
      ),

    /** `email.event_message`: an organiser's message, to a member still going. */
    async message(job: Job<'email.event_message'>) {
      const p = job.payload;
      const from = p.fromUserId ? await userById(db, p.fromUserId) : undefined;
      const sender = p.fromUserId ? await repo.recipient(db, p.fromUserId) : undefined;
      const body = p.body ?? '';
      return deliver(
        job,
        'event_message',
        null,
        (c) => has(c, 'going'),
        (c) =>
          messageLetter(c.event, c.reader, publicOrigin, {
            from: from?.displayName ?? '',
            subject: p.subject ?? '',
            body,
            bodyHtml: renderMarkdown(body),
          }),
        { replyTo: sender?.email },
      );
    },
  };
}

export type EventNoticesService = ReturnType<typeof createEventNoticesService>;
