/**
 * What an event change commits with it (in its transaction): the activity that tells the rest of
 * the network (the outbox: live counts, notifications, feeds) and the jobs that email attendees
 * (notices/). Written once for every sub-feature.
 */
import type { NewActivity } from '../../platform/outbox/repository.ts';
import type { NewJob } from '../../platform/jobs/repository.ts';
import type { EventRow } from './repository.ts';
import type { Counts } from './rsvp/decide.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function activity(verb: string, e: EventRow, actorId: string | null, payload: object, isPublic: boolean) {
  return {
    verb,
    objectType: 'event',
    objectId: e.slug,
    actorId,
    countries: e.countries,
    themes: e.themes,
    isPublic,
    payload: { eventSlug: e.slug, eventId: e.id, title: e.title, ...payload },
  } satisfies NewActivity;
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

/**
 * When the day-before reminders go out: 24 hours before the start (or now, if that has passed).
 * One job per start time: when an event moves, the new time gets its own job and the old one
 * finds the event no longer starts then and does nothing (notices/service.ts); moving it back to a
 * time whose job has already run reschedules that job (its emails are never sent twice).
 */
export function reminderJob(e: { id: string; startsAt: Date }): NewJob[] {
  if (e.startsAt.getTime() < Date.now()) return [];
  const at = new Date(Math.max(Date.now(), e.startsAt.getTime() - DAY_MS));
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

/** One email job per member (notices/jobs.ts sends them), keyed so each is queued once. */
export function emailJobs(kind: string, eventId: string, userIds: string[], key: string, payload = {}): NewJob[] {
  return userIds.map((userId) => ({
    kind,
    key: `${eventId}:${key}:${userId}`,
    runAt: new Date(),
    payload: { eventId, userId, ...payload },
  }));
}
