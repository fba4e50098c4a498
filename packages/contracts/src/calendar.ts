import { Type, type Static } from 'typebox';

/** "Add to calendar" links of one event (none of them carries the online link). */
export const CalendarLinks = Type.Object({
  google: Type.String({ description: 'Google Calendar: a prefilled new event' }),
  outlook: Type.String({ description: 'Outlook on the web: a prefilled new event' }),
  ics: Type.String({ description: 'The event as an iCalendar file (RFC 5545)' }),
});
export type CalendarLinks = Static<typeof CalendarLinks>;

/** A member's private calendar feed: the events they are going to. */
export const CalendarFeedUrl = Type.Object({
  url: Type.String({
    description: 'Secret subscription URL (`…/api/v1/calendar/<token>.ics`); the previous one stops working',
  }),
});
export type CalendarFeedUrl = Static<typeof CalendarFeedUrl>;

export const CalendarFeedStatus = Type.Object({
  active: Type.Boolean({ description: 'a feed URL exists (it is shown only once, when created)' }),
});
export type CalendarFeedStatus = Static<typeof CalendarFeedStatus>;
