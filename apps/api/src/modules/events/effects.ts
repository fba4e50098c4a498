/**
 * What an event change commits with it (in its transaction): the activity that tells the rest of
 * the network (the outbox: live counts, notifications, feeds) and the jobs that email attendees
 * (notices/). Written once for every sub-feature, typed by the catalogue (catalogue-entries.ts):
 * each verb with its payload, each kind of job with its own.
 */
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import type { JobPayload, NewJob } from '../../platform/jobs/catalogue.ts';
import type { eventJobs } from './catalogue-entries.ts';
import type { EventRow } from './repository.ts';
import type { Counts } from './rsvp/decide.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An activity about an event (catalogue-entries.ts: eventActivities). */
type EventActivity = Extract<NewActivity, { objectType: 'event' }>;
type EventVerb = EventActivity['verb'];

/** What every event activity's payload says: which event. */
interface About {
  eventSlug: string;
  eventId: string;
  title: string;
}

/** What each verb's payload says besides which event. */
type Said = { [V in EventVerb]: Omit<Extract<EventActivity, { verb: V }>['payload'], keyof About> };

/** The activity of verb V about an event. */
export type EventActivityOf<V extends EventVerb> = {
  [P in V]: Omit<EventActivity, 'verb' | 'payload'> & { verb: P; payload: About & Said[P] };
}[V];

export function activity<V extends EventVerb>(
  verb: V,
  e: EventRow,
  actorId: string | null,
  said: Said[V],
  isPublic: boolean,
): EventActivityOf<V> {
  return {
    verb,
    objectType: 'event',
    objectId: e.slug,
    actorId,
    countries: e.countries,
    themes: e.themes,
    isPublic,
    payload: { eventSlug: e.slug, eventId: e.id, title: e.title, ...said },
  };
}

export function rsvpActivity(
  e: EventRow,
  actorId: string | null,
  o: { status: string; counts: Counts; promoted: string[] },
) {
  return activity(
    'rsvp_changed',
    e,
    actorId,
    { ...o.counts, capacity: e.capacity, userId: actorId, status: o.status, promoted: o.promoted },
    false,
  );
}

/** Those newly invited to co-organise are told (notifications/service.ts: organiser_invitation). */
export function invitedActivity(e: EventRow, actorId: string, invited: string[]) {
  return activity('organiser_invited', e, actorId, { invited }, false);
}

/** The counts an activity carries (the live counts of the event page). */
export function countsOf(e: EventRow) {
  return {
    goingCount: e.goingCount,
    waitlistCount: e.waitlistCount,
    interestedCount: e.interestedCount,
    capacity: e.capacity,
  };
}

/** A job of kind K (one of the kinds the catalogue declares). */
export type NewJobOf<K extends NewJob['kind']> = Extract<NewJob, { kind: K }>;

/**
 * When the day-before reminders go out: 24 hours before the start (or now, if that has passed).
 * One job per start time: when an event moves, the new time gets its own job and the old one
 * finds the event no longer starts then and does nothing (notices/service.ts); moving it back to a
 * time whose job has already run reschedules that job (its emails are never sent twice).
 */
export function reminderJob(e: { id: string; startsAt: Date }, now: Date): NewJobOf<'event.reminders'>[] {
  if (e.startsAt.getTime() < now.getTime()) return [];
  const at = new Date(Math.max(now.getTime(), e.startsAt.getTime() - DAY_MS));
  const startsAt = e.startsAt.toISOString();
  return [
    {
      kind: 'event.reminders',
      key: `${e.id}:${startsAt}`,
      runAt: at,
      payload: { eventId: e.id, startsAt },
      reschedule: true,
    },
  ];
}

/** The kinds of email job, one email to one member each (notices/jobs.ts sends them). */
type EmailKind = keyof (typeof eventJobs)['kinds'] & `email.${string}`;

/** What an email job's payload says besides the event and the member. */
type Extra = { [K in EmailKind]: Omit<JobPayload<K>, 'eventId' | 'userId'> };

/** An email job of kind K: to one member about one event, with what the kind says besides. */
export type EmailJob<K extends EmailKind> = {
  [P in K]: { kind: P; key: string; payload: { eventId: string; userId: string } & Extra[P] };
}[K];

/** One email job per member, due at once (on the queue's time), keyed so each is queued once. */
export function emailJobs<K extends EmailKind>(
  kind: K,
  eventId: string,
  userIds: string[],
  key: string,
  extra: Extra[K],
): EmailJob<K>[] {
  return userIds.map((userId) => ({
    kind,
    key: `${eventId}:${key}:${userId}`,
    payload: { eventId, userId, ...extra },
  }));
}
