/**
 * Event dates and times: in the event's own time zone and in the viewer's, in the viewer's
 * locale, with the zone named. The server does not know the viewer's zone: it renders the event's
 * (or the one the browser remembered in the `tz` cookie) and the browser adds its own. What a
 * valid zone is and the zones' offsets are the shared rule (@opsi/common/zones); this file only
 * shows them.
 */
import { isTimeZone, looksLikeTimeZone, offsetMinutes } from '@opsi/common/zones';
import { dateTimeFormat, formatOnce, recordFormats } from '#lib/intl.ts';

/** The cookie in which the browser remembers its time zone, so the next page renders in it. */
export const ZONE_COOKIE = 'tz';

/** The browser's time zone, or null when it cannot tell (or outside a browser). */
export function browserTimeZone(): string | null {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return isTimeZone(zone) ? zone : null;
  } catch {
    return null;
  }
}

/**
 * Remembers the browser's zone in the `tz` cookie (a year; no other use than dates). The zone comes
 * from Intl (browserTimeZone), so only its form is checked here: asking Intl again would start ICU
 * on the page's main thread. The server checks it in full when it reads the cookie.
 */
export function rememberTimeZone(zone: string): void {
  if (!looksLikeTimeZone(zone)) return;
  const current = document.cookie.split('; ').find((part) => part.startsWith(`${ZONE_COOKIE}=`));
  const value = encodeURIComponent(zone);
  if (current === `${ZONE_COOKIE}=${value}`) return;
  document.cookie = `${ZONE_COOKIE}=${value}; path=/; max-age=31536000; samesite=lax`;
}

/** Whether two zones show the same clock time for the whole of an event (then one time is enough). */
export function sameClock(a: string, b: string, startsAt: string, endsAt: string): boolean {
  if (a === b) return true;
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const same = () =>
    offsetMinutes(a, start) === offsetMinutes(b, start) && offsetMinutes(a, end) === offsetMinutes(b, end);
  return formatOnce(`sameclock\u0001${a}\u0001${b}\u0001${startsAt}\u0001${endsAt}`, () => String(same())) === 'true';
}

const LONG: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

const SHORT: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * When an event happens, in `zone`: "Tuesday 12 January 2027, 09:00–17:00 CET" (long), or
 * "Tue 12 Jan 2027, 09:00 CET" for its start only (short). Several days show both ends.
 */
export function formatEventTime(
  startsAt: string,
  endsAt: string | null,
  zone: string,
  formatLocale: string,
  style: 'long' | 'short' = 'long',
): string {
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) return startsAt;
  const end = endsAt ? new Date(endsAt) : null;
  const range = end && !Number.isNaN(end.getTime()) && end.getTime() > start.getTime() ? end : null;
  return formatOnce(
    `event\u0001${formatLocale}\u0001${zone}\u0001${style}\u0001${startsAt}\u0001${range ? endsAt : ''}`,
    () => {
      const format = dateTimeFormat(formatLocale, { ...(style === 'long' ? LONG : SHORT), timeZone: zone });
      return range ? format.formatRange(start, range) : format.format(start);
    },
  );
}

/** Whether a moment falls on the same calendar day in two zones. */
export function sameDay(iso: string, a: string, b: string): boolean {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return true;
  const day = (zone: string) =>
    formatOnce(`day\u0001${zone}\u0001${iso}`, () =>
      dateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date),
    );
  return day(a) === day(b);
}

/**
 * The clock time with the zone, "09:00 CET" (for "09:00 CET in Paris" beside the viewer's time),
 * with the day too when asked ("Fri 29 Jan, 08:45 GMT+9": that day is not the viewer's).
 */
export function formatClock(iso: string, zone: string, formatLocale: string, withDay = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatOnce(`clock\u0001${formatLocale}\u0001${zone}\u0001${withDay}\u0001${iso}`, () =>
    dateTimeFormat(formatLocale, {
      ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
      timeZoneName: 'short',
    }).format(date),
  );
}

/** A zone's name in the viewer's language ("Central European Time", "heure d’Europe centrale"). */
export function zoneName(zone: string, formatLocale: string, at: string): string {
  const date = new Date(at);
  return formatOnce(`zone\u0001${formatLocale}\u0001${zone}\u0001${at}`, () => {
    try {
      const parts = dateTimeFormat(formatLocale, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(
        Number.isNaN(date.getTime()) ? new Date() : date,
      );
      return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone;
    } catch {
      return zone;
    }
  });
}

/** The place a zone is named after: "Europe/Paris" → "Paris", "America/Port_of_Spain" → "Port of Spain". */
export function zoneCity(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

/** Where an event stands in time: not started, under way, or over. */
export type EventPhase = 'upcoming' | 'ongoing' | 'ended';

export function eventPhase(startsAt: string, endsAt: string, now: number = Date.now()): EventPhase {
  if (new Date(endsAt).getTime() <= now) return 'ended';
  if (new Date(startsAt).getTime() <= now) return 'ongoing';
  return 'upcoming';
}

/** When an event happens and where its clocks are: what a card or the event's page shows of it. */
export interface EventTimes {
  startsAt: string;
  endsAt: string;
  timezone: string;
}

/**
 * What an event card shows of its time in `zone` (the viewer's, or the event's until that is
 * known): its start, and the venue's clock when it differs ("09:00 CET", with the day when that is
 * not the viewer's).
 */
export function cardTime(
  event: EventTimes,
  zone: string,
  formatLocale: string,
): { when: string; venue: string | null } {
  const when = formatEventTime(event.startsAt, event.endsAt, zone, formatLocale, 'short');
  if (sameClock(zone, event.timezone, event.startsAt, event.endsAt)) return { when, venue: null };
  const withDay = !sameDay(event.startsAt, zone, event.timezone);
  return { when, venue: formatClock(event.startsAt, event.timezone, formatLocale, withDay) };
}

/**
 * The event's time in the viewer's zone, for its page: null while that zone is unknown, `same`
 * when its clocks agree with the venue's, else the time and the zone's name.
 */
export function viewerTime(
  event: EventTimes,
  viewerZone: string | null,
  formatLocale: string,
): { same: true } | { same: false; time: string; zone: string } | null {
  if (viewerZone === null) return null;
  if (sameClock(viewerZone, event.timezone, event.startsAt, event.endsAt)) return { same: true };
  return {
    same: false,
    time: formatEventTime(event.startsAt, event.endsAt, viewerZone, formatLocale),
    zone: zoneName(viewerZone, formatLocale, event.startsAt),
  };
}

/** What a page asks the zone worker: the events it shows as cards and on their own page. */
export interface ZoneQuestion {
  formatLocale: string;
  cards: EventTimes[];
  pages: EventTimes[];
}

/** The zone worker's answer: the browser's zone (null when it cannot tell) and the texts in it. */
export interface ZoneAnswer {
  zone: string | null;
  formats: [string, string][];
}

/**
 * Every text the page's cards and event pages show in `zone`, keyed as formatOnce keys them: made
 * by the zone worker, so that the page shows the viewer's times without formatting them itself.
 */
export function zoneTexts(question: ZoneQuestion, zone: string): [string, string][] {
  const kept = recordFormats(() => {
    for (const event of question.cards) cardTime(event, zone, question.formatLocale);
    for (const event of question.pages) viewerTime(event, zone, question.formatLocale);
  });
  return [...kept];
}

/** The times of events as the zone worker needs them (plain objects: a page's state cannot be posted). */
export function eventTimes(events: readonly EventTimes[]): EventTimes[] {
  return events.map(({ startsAt, endsAt, timezone }) => ({ startsAt, endsAt, timezone }));
}
