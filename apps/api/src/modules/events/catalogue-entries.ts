/**
 * The activity verbs and kinds of job the events module writes (platform/outbox/catalogue.ts,
 * platform/jobs/catalogue.ts). Every activity is about an event, and its payload names it.
 */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

const Id = Type.String();
const Ids = Type.Array(Id);
const About = { eventSlug: Type.String(), eventId: Id, title: Type.String() };
const Counts = {
  goingCount: Type.Number(),
  waitlistCount: Type.Number(),
  interestedCount: Type.Number(),
  capacity: Type.Union([Type.Number(), Type.Null()]),
};

export const eventActivities = defineActivities('event', {
  created: Type.Object({ ...About, startsAt: Type.String() }),
  /** Edited: what attendees must hear about (time, place), and who got a seat from the waitlist. */
  updated: Type.Object({ ...About, ...Counts, changes: Type.Array(Type.String()), promoted: Ids }),
  cancelled: Type.Object({ ...About, ...Counts }),
  /** A member's answer (or the organisers' seat change) and its effect on the counts. */
  rsvp_changed: Type.Object({
    ...About,
    ...Counts,
    userId: Type.Union([Id, Type.Null()]),
    status: Type.String(),
    promoted: Ids,
  }),
  /** Members invited to co-organise. */
  organiser_invited: Type.Object({ ...About, invited: Ids }),
  /** The day-before reminders went to these members (for their notifications). */
  reminded: Type.Object({ ...About, startsAt: Type.String(), remind: Ids }),
});

const Addressed = { eventId: Id, userId: Id };

export const eventJobs = defineJobs({
  /** The day before an event starting at `startsAt`: one `email.event_reminder` per member going. */
  'event.reminders': Type.Object({ eventId: Id, startsAt: Type.String() }),
  'email.event_reminder': Type.Object({ ...Addressed, startsAt: Type.String() }),
  'email.rsvp_promoted': Type.Object(Addressed),
  /** A member's own answer: going (the ticket and the .ics) or waitlisted (their place in line). */
  'email.rsvp_confirmed': Type.Object({
    ...Addressed,
    status: Type.Union([Type.Literal('going'), Type.Literal('waitlisted')]),
  }),
  'email.event_changed': Type.Object({
    ...Addressed,
    changes: Type.Optional(Type.Array(Type.String())),
    /** The time and place before the change (what the email says it changed from). */
    before: Type.Optional(
      Type.Object({
        startsAt: Type.String(),
        endsAt: Type.String(),
        timezone: Type.String(),
        mode: Type.String(),
        venue: Type.String(),
        address: Type.String(),
      }),
    ),
  }),
  'email.event_cancelled': Type.Object(Addressed),
  /** An organiser's message to those going. */
  'email.event_message': Type.Object({
    ...Addressed,
    subject: Type.Optional(Type.String()),
    body: Type.Optional(Type.String()),
    fromUserId: Type.Optional(Id),
  }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    events: typeof eventActivities;
  }
}

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    events: typeof eventJobs;
  }
}
