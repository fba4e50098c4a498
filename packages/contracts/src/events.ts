import { Type, type Static } from 'typebox';
import { ChosenSlug, CountryCode, Cursor, Slug, Timestamp } from './common.ts';
import { Handle } from './accounts.ts';

export const EventModes = ['in_person', 'online', 'hybrid'] as const;
export type EventMode = (typeof EventModes)[number];
export const EventStatuses = ['published', 'cancelled'] as const;
export const RsvpChoices = ['going', 'interested', 'declined'] as const;
export const RsvpStatuses = ['going', 'waitlisted', 'interested', 'declined'] as const;
export type RsvpStatus = (typeof RsvpStatuses)[number];
export const EVENT_DESCRIPTION_MAX = 20_000;

const Count = Type.Integer({ minimum: 0 });
const Mode = Type.Enum(EventModes);
const Person = Type.Object({ handle: Handle, displayName: Type.String() });
export const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Paris',
});
const Url = Type.String({ maxLength: 500, pattern: '^https?://', format: 'uri' });

export const EventSummary = Type.Object({
  slug: Slug,
  title: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timezone: TimeZone,
  mode: Mode,
  venue: Type.String(),
  countries: Type.Array(CountryCode),
  themes: Type.Array(Slug),
  capacity: Type.Union([Count, Type.Null()]),
  goingCount: Count,
  waitlistCount: Count,
  interestedCount: Count,
  seatsLeft: Type.Union([Count, Type.Null()], { description: 'null when there is no capacity limit' }),
  rsvpDeadline: Type.Union([Timestamp, Type.Null()]),
  status: Type.Enum(EventStatuses),
});
export type EventSummary = Static<typeof EventSummary>;

export const MyRsvp = Type.Object({
  status: Type.Enum(RsvpStatuses),
  waitlistPosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  listed: Type.Boolean({ description: 'appears in the public attendee list' }),
  ticketCode: Type.Union([Type.String(), Type.Null()], { description: 'only while going' }),
  checkedInAt: Type.Union([Timestamp, Type.Null()]),
});
export type MyRsvp = Static<typeof MyRsvp>;

export const EventDetail = Type.Object({
  ...EventSummary.properties,
  description: Type.String({ description: 'markdown' }),
  descriptionHtml: Type.String({ description: 'sanitised HTML rendered from description' }),
  address: Type.String(),
  onlineUrl: Type.Optional(Type.String({ description: 'only for those going and the organisers' })),
  hasOnlineLink: Type.Boolean(),
  organiser: Person,
  organisers: Type.Array(Person),
  cases: Type.Array(Type.Object({ slug: Slug, title: Type.String() })),
  myRsvp: Type.Union([MyRsvp, Type.Null()]),
  canManage: Type.Boolean({
    description: 'the viewer is an admin, or an organiser (by role) named on this event',
  }),
  pendingOrganisers: Type.Optional(
    Type.Array(Person, {
      description: 'invited to co-organise, not yet answered; only for those who manage the event',
    }),
  ),
  organiserInvitation: Type.Optional(
    Type.Object(
      { invitedBy: Type.Union([Person, Type.Null()]), invitedAt: Timestamp },
      { description: 'the viewer’s own invitation to co-organise, while it waits for an answer' },
    ),
  ),
  rsvpOpen: Type.Boolean({ description: 'published, not past the deadline, not over' }),
  sequence: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EventDetail = Static<typeof EventDetail>;

export const EventListQuery = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  when: Type.Optional(Type.Enum(['upcoming', 'past'] as const, { default: 'upcoming' })),
  country: Type.Optional(CountryCode),
  theme: Type.Optional(Slug),
  mode: Type.Optional(Mode),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type EventListQuery = Static<typeof EventListQuery>;

export const EventList = Type.Object({
  items: Type.Array(EventSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type EventList = Static<typeof EventList>;

/** An event the viewer answered, with their answer (GET /api/v1/me/events). */
export const MyEvent = Type.Object({
  event: EventSummary,
  rsvp: Type.Object({
    status: Type.Enum(RsvpStatuses),
    waitlistPosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'while waitlisted' }),
    ticketCode: Type.Union([Type.String(), Type.Null()], { description: 'only while going' }),
    checkedInAt: Type.Union([Timestamp, Type.Null()]),
    answeredAt: Timestamp,
  }),
});
export type MyEvent = Static<typeof MyEvent>;

export const MyEventsQuery = Type.Object({
  when: Type.Optional(
    Type.Enum(['upcoming', 'past'] as const, {
      default: 'upcoming',
      description: 'upcoming: not over yet, soonest first; past: over, latest first',
    }),
  ),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type MyEventsQuery = Static<typeof MyEventsQuery>;

export const MyEventList = Type.Object({
  items: Type.Array(MyEvent),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type MyEventList = Static<typeof MyEventList>;

const eventFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: EVENT_DESCRIPTION_MAX })),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timezone: TimeZone,
  mode: Mode,
  venue: Type.Optional(Type.String({ maxLength: 200 })),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  onlineUrl: Type.Optional(Type.Union([Url, Type.Null()])),
  capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()])),
  rsvpDeadline: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  countries: Type.Optional(Type.Array(CountryCode, { maxItems: 20, uniqueItems: true })),
  themes: Type.Optional(Type.Array(Slug, { maxItems: 10, uniqueItems: true })),
  caseSlugs: Type.Optional(Type.Array(Slug, { maxItems: 20, uniqueItems: true })),
  coOrganisers: Type.Optional(
    Type.Array(Handle, {
      maxItems: 20,
      uniqueItems: true,
      description:
        'co-organisers: each member named who is not one yet is invited (they must hold the organiser or admin role; one who declined cannot be named again) and organises once they accept; an organiser or invitation left out is removed',
    }),
  ),
};

export const NewEvent = Type.Object(
  { ...eventFields, slug: Type.Optional(ChosenSlug) },
  { additionalProperties: false },
);
export type NewEvent = Static<typeof NewEvent>;

export const EventPatch = Type.Partial(Type.Object(eventFields), { additionalProperties: false });
export type EventPatch = Static<typeof EventPatch>;

export const RsvpBody = Type.Object(
  {
    status: Type.Enum(RsvpChoices),
    listed: Type.Optional(Type.Boolean({ description: 'appear in the public attendee list (default true)' })),
  },
  { additionalProperties: false },
);
export type RsvpBody = Static<typeof RsvpBody>;

export const RsvpResult = Type.Object({
  status: Type.Enum(RsvpStatuses),
  waitlistPosition: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  listed: Type.Boolean(),
  ticketCode: Type.Union([Type.String(), Type.Null()]),
  goingCount: Count,
  waitlistCount: Count,
  capacity: Type.Union([Count, Type.Null()]),
});
export type RsvpResult = Static<typeof RsvpResult>;

export const Attendee = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  status: Type.Optional(Type.Enum(RsvpStatuses)),
  waitlistPosition: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  listed: Type.Optional(Type.Boolean()),
  ticketCode: Type.Optional(Type.String()),
  checkedInAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  rsvpAt: Type.Optional(Timestamp),
});
export type Attendee = Static<typeof Attendee>;

export const AttendeeList = Type.Object({
  items: Type.Array(Attendee),
  full: Type.Boolean({
    description: 'true for organisers: everyone with status; otherwise those going who are listed',
  }),
  goingCount: Count,
  waitlistCount: Count,
  interestedCount: Count,
  checkedInCount: Type.Optional(Count),
});
export type AttendeeList = Static<typeof AttendeeList>;

export const CheckinBody = Type.Union([
  Type.Object({ code: Type.String({ minLength: 4, maxLength: 32 }) }, { additionalProperties: false }),
  Type.Object({ handle: Handle }, { additionalProperties: false }),
]);
export type CheckinBody = Static<typeof CheckinBody>;

export const CheckinResult = Type.Object({
  attendee: Person,
  checkedInAt: Timestamp,
  alreadyCheckedIn: Type.Boolean(),
  checkedInCount: Count,
  goingCount: Count,
});
export type CheckinResult = Static<typeof CheckinResult>;

export const EventMessage = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
export type EventMessage = Static<typeof EventMessage>;

/** A message its organisers sent to those going, as they see it afterwards. */
export const SentEventMessage = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  body: Type.String({ description: 'markdown, as written' }),
  sender: Type.Union([Person, Type.Null()], { description: 'null once the sender’s account is gone' }),
  recipients: Count,
  sentAt: Timestamp,
});
export type SentEventMessage = Static<typeof SentEventMessage>;

export const SentEventMessageList = Type.Object({ items: Type.Array(SentEventMessage) });
export type SentEventMessageList = Static<typeof SentEventMessageList>;

/** An invitation to co-organise an event, as its invitee sees it. */
export const OrganiserInvitation = Type.Object({
  event: EventSummary,
  invitedBy: Type.Union([Person, Type.Null()]),
  invitedAt: Timestamp,
});
export type OrganiserInvitation = Static<typeof OrganiserInvitation>;

export const OrganiserInvitationList = Type.Object({ items: Type.Array(OrganiserInvitation) });
export type OrganiserInvitationList = Static<typeof OrganiserInvitationList>;

export const CalendarFeed = Type.Object({
  url: Type.String({ description: 'the private feed URL; keep it secret' }),
});

/** Socket payload to an event's door (`checkin:changed`): who was just checked in, and the counts. */
export interface CheckinChanged {
  eventSlug: string;
  handle: string;
  displayName: string;
  checkedInAt: string;
  checkedInCount: number;
  goingCount: number;
}

/** Socket payload (API.md "Realtime"). */
export interface RsvpChanged {
  eventSlug: string;
  goingCount: number;
  waitlistCount: number;
  interestedCount: number;
  capacity: number | null;
}
