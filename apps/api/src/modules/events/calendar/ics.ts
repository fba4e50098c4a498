/**
 * Events as iCalendar (RFC 5545): one event's .ics file and a member's subscribable feed, and the
 * "add to calendar" links of Google Calendar and Outlook. Pure functions: the routes decide who
 * sees the online link and pass it in (or not).
 *
 * Times are written in the event's own zone (DTSTART;TZID=Europe/Paris:…), with a VTIMEZONE for
 * each zone, generated from the zone's UTC offsets and every change of offset (DST or other) over
 * the years the events span (@opsi/common/zones), each as its own STANDARD or DAYLIGHT onset. A local time that
 * occurs twice (the hour repeated when clocks go back) is written in UTC instead.
 */
import { instantsAt, offsetChanges, utcOffsetSeconds } from '@opsi/common/zones';
import { markdownToText } from '../../../platform/markdown.ts';

export interface CalendarEvent {
  id: string;
  slug: string;
  title: string;
  /** Markdown source. */
  description: string;
  startsAt: Date;
  endsAt: Date;
  /** IANA zone, e.g. Europe/Paris. */
  timezone: string;
  mode: string;
  venue: string;
  address: string;
  /** Only when the reader may see it (going, or an organiser); null otherwise. */
  onlineUrl: string | null;
  status: string;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
  organiser: { handle: string; displayName: string } | null;
}

/** The event (a row of the events table) as the calendar shows it; `shown.onlineUrl` only for those who may see it. */
export function calendarEvent(
  row: Omit<CalendarEvent, 'onlineUrl' | 'organiser'>,
  shown: { organiser: CalendarEvent['organiser']; onlineUrl?: string | undefined | null },
): CalendarEvent {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timezone: row.timezone,
    mode: row.mode,
    venue: row.venue,
    address: row.address,
    onlineUrl: shown.onlineUrl ?? null,
    status: row.status,
    sequence: row.sequence,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    organiser: shown.organiser,
  };
}

export interface CalendarOptions {
  publicOrigin: string;
  /** DTSTAMP: when this calendar was made. */
  now?: Date;
  /** A name for calendar apps that subscribe to it (NAME, X-WR-CALNAME). */
  name?: string;
  /** How often subscribers should refresh (REFRESH-INTERVAL, X-PUBLISHED-TTL), e.g. PT1H. */
  refreshInterval?: string;
}

const PRODID = '-//OPSI Network//Events//EN';
const CRLF = '\r\n';
const MAX_OCTETS = 75;
const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Text, parameters and lines

/** Well-formed Unicode, CRLF/CR as LF, and no control characters but tab and LF. */
function clean(value: string): string {
  return (
    value
      .toWellFormed()
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- iCalendar text cannot carry control characters
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  );
}

/** A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped. */
export function escapeText(value: string): string {
  return clean(value)
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** A parameter value, always quoted; quotes, newlines and carets as RFC 6868 says. */
export function paramValue(value: string): string {
  const encoded = clean(value).replace(/[\^"\n]/g, (c) => ({ '^': '^^', '"': "^'", '\n': '^n' })[c]!);
  return `"${encoded}"`;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds a content line (RFC 5545 3.1): no line longer than 75 octets (the leading space of a
 * continuation counts), breaking only between characters, never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  let out = '';
  let width = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    if (width + size > MAX_OCTETS) {
      out += `${CRLF} `;
      width = 1;
    }
    out += char;
    width += size;
  }
  return out;
}

/** NAME;PARAM=…:value, with the value as given (escape TEXT values before). */
function contentLine(name: string, value: string, params: Record<string, string> = {}): string {
  const rendered = Object.entries(params)
    .map(([key, v]) => `;${key}=${v}`)
    .join('');
  return foldLine(`${name}${rendered}:${value}`);
}

// ---------------------------------------------------------------------------------------------
// Time zones

/** ±HHMM (±HHMMSS when there are seconds); zero is +0000 (RFC 5545 forbids -0000). */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hhmm = `${pad(Math.floor(abs / 3600))}${pad(Math.floor((abs % 3600) / 60))}`;
  return `${sign}${hhmm}${abs % 60 ? pad(abs % 60) : ''}`;
}

/** YYYYMMDDTHHMMSS of the UTC fields of a timestamp (ms). */
function basicDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/[-:]/g, '');
}

/** A UTC DATE-TIME: 20270328T013000Z. */
export function utcDateTime(date: Date): string {
  return `${basicDateTime(Math.floor(date.getTime() / 1000) * 1000)}Z`;
}

/**
 * A VTIMEZONE for the zone over whole years (UTC years, with half a day more on each side): the
 * offset in force at the start, then each change. A change to a larger offset is DAYLIGHT, to a
 * smaller one STANDARD; a zone that never changes gets a single STANDARD.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string[] {
  const key = `${zone} ${fromYear} ${toYear}`;
  let lines = vtimezones.get(key);
  if (!lines) {
    if (vtimezones.size >= 1000) vtimezones.delete(vtimezones.keys().next().value!);
    lines = buildVtimezone(zone, fromYear, toYear);
    vtimezones.set(key, lines);
  }
  return lines;
}

const vtimezones = new Map<string, string[]>();

function buildVtimezone(zone: string, fromYear: number, toYear: number): string[] {
  const start = Date.UTC(fromYear, 0, 1) - DAY_MS / 2;
  const end = Date.UTC(toYear + 1, 0, 1) + DAY_MS / 2;
  const initial = utcOffsetSeconds(start, zone);
  const changes = offsetChanges(zone, start, end);
  const lowest = Math.min(initial, ...changes.map((c) => c.to));
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', onsetLocal: number, from: number, to: number) => [
    `BEGIN:${kind}`,
    contentLine('DTSTART', basicDateTime(onsetLocal)),
    contentLine('TZOFFSETFROM', formatOffset(from)),
    contentLine('TZOFFSETTO', formatOffset(to)),
    `END:${kind}`,
  ];
  return [
    'BEGIN:VTIMEZONE',
    contentLine('TZID', zone),
    ...observance(initial > lowest ? 'DAYLIGHT' : 'STANDARD', start + initial * 1000, initial, initial),
    ...changes.flatMap((c) => observance(c.to > c.from ? 'DAYLIGHT' : 'STANDARD', c.at + c.from * 1000, c.from, c.to)),
    'END:VTIMEZONE',
  ];
}

/**
 * DTSTART/DTEND: local time in the event's zone, or UTC when that local time occurs twice (the
 * hour repeated when clocks go back). RFC 5545 gives such a time its first occurrence, but
 * libical and ical.js take the second: UTC is the one form every reader agrees on.
 */
export function zonedDateTime(name: string, date: Date, zone: string): string {
  const at = Math.floor(date.getTime() / 1000) * 1000;
  const local = at + utcOffsetSeconds(at, zone) * 1000;
  if (instantsAt(local, zone).length !== 1) return contentLine(name, utcDateTime(date));
  return contentLine(name, basicDateTime(local), { TZID: zone });
}

// ---------------------------------------------------------------------------------------------
// Events

export function eventUrl(publicOrigin: string, slug: string): string {
  return `${publicOrigin}/events/${slug}`;
}

/** LOCATION: venue and address; "Online" for an online event. */
export function locationText(event: Pick<CalendarEvent, 'mode' | 'venue' | 'address'>): string {
  if (event.mode === 'online') return 'Online';
  const place = [event.venue.trim(), event.address.trim()].filter(Boolean).join(', ');
  if (event.mode === 'hybrid') return place ? `${place} (and online)` : 'Online';
  return place;
}

function descriptionText(event: CalendarEvent, publicOrigin: string): string {
  return [
    event.status === 'cancelled' ? 'This event was cancelled.' : '',
    markdownToText(event.description),
    event.onlineUrl ? `Join online: ${event.onlineUrl}` : '',
    eventUrl(publicOrigin, event.slug),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function vevent(event: CalendarEvent, options: Required<Pick<CalendarOptions, 'publicOrigin' | 'now'>>): string[] {
  const host = new URL(options.publicOrigin).hostname;
  const url = eventUrl(options.publicOrigin, event.slug);
  const location = locationText(event);
  const lines = [
    'BEGIN:VEVENT',
    contentLine('UID', `event-${event.id}@${host}`),
    contentLine('DTSTAMP', utcDateTime(options.now)),
    zonedDateTime('DTSTART', event.startsAt, event.timezone),
    zonedDateTime('DTEND', event.endsAt, event.timezone),
    contentLine('SUMMARY', escapeText(event.title)),
    contentLine('DESCRIPTION', escapeText(descriptionText(event, options.publicOrigin))),
    ...(location ? [contentLine('LOCATION', escapeText(location))] : []),
    contentLine('URL', url, { VALUE: 'URI' }),
    contentLine('SEQUENCE', String(event.sequence)),
    contentLine('STATUS', event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'),
    contentLine('TRANSP', 'OPAQUE'),
    ...(event.organiser
      ? [
          contentLine('ORGANIZER', `${options.publicOrigin}/people/${encodeURIComponent(event.organiser.handle)}`, {
            CN: paramValue(event.organiser.displayName || event.organiser.handle),
          }),
        ]
      : []),
    ...(event.onlineUrl
      ? [contentLine('CONFERENCE', clean(event.onlineUrl).replace(/\s/g, ''), { VALUE: 'URI', FEATURE: 'VIDEO' })]
      : []),
    contentLine('CREATED', utcDateTime(event.createdAt)),
    contentLine('LAST-MODIFIED', utcDateTime(event.updatedAt)),
    'END:VEVENT',
  ];
  return lines;
}

/** The years (UTC, either side of each start and end) the events of each zone span. */
function zoneYears(events: CalendarEvent[]): Map<string, { from: number; to: number }> {
  const zones = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    const from = e.startsAt.getUTCFullYear();
    const to = e.endsAt.getUTCFullYear();
    const known = zones.get(e.timezone);
    zones.set(e.timezone, known ? { from: Math.min(known.from, from), to: Math.max(known.to, to) } : { from, to });
  }
  return zones;
}

/** A complete VCALENDAR (METHOD:PUBLISH) with CRLF line ends. */
export function renderCalendar(events: CalendarEvent[], options: CalendarOptions): string {
  const now = options.now ?? new Date();
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    contentLine('PRODID', PRODID),
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(options.name
      ? [contentLine('NAME', escapeText(options.name)), contentLine('X-WR-CALNAME', escapeText(options.name))]
      : []),
    ...(options.refreshInterval
      ? [
          contentLine('REFRESH-INTERVAL', options.refreshInterval, { VALUE: 'DURATION' }),
          contentLine('X-PUBLISHED-TTL', options.refreshInterval),
        ]
      : []),
    ...[...zoneYears(events)].flatMap(([zone, years]) => vtimezone(zone, years.from, years.to)),
    ...events.flatMap((e) => vevent(e, { publicOrigin: options.publicOrigin, now })),
    'END:VCALENDAR',
  ];
  return `${lines.join(CRLF)}${CRLF}`;
}

// ---------------------------------------------------------------------------------------------
// "Add to calendar" links

export interface LinkableEvent {
  slug: string;
  title: string;
  description: string;
  startsAt: Date | string;
  endsAt: Date | string;
  timezone: string;
  mode: string;
  venue: string;
  address: string;
}

const LINK_DETAILS_MAX = 1500;

/** A query string with spaces as %20 (Outlook shows a literal "+") and slashes kept. */
function query(params: [string, string][]): string {
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2F/g, '/')}`).join('&');
}

/** Links that open a prefilled new event in Google Calendar and Outlook (never the online link). */
export function calendarLinks(event: LinkableEvent, publicOrigin: string): { google: string; outlook: string } {
  const starts = new Date(event.startsAt);
  const ends = new Date(event.endsAt);
  const url = eventUrl(publicOrigin, event.slug);
  let text = markdownToText(event.description);
  if (text.length > LINK_DETAILS_MAX) text = `${[...text.slice(0, LINK_DETAILS_MAX)].slice(0, -1).join('')}…`;
  const details = [text, url].filter(Boolean).join('\n\n');
  const location = locationText(event);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const google = `https://calendar.google.com/calendar/render?${query([
    ['action', 'TEMPLATE'],
    ['text', event.title],
    ['dates', `${utcDateTime(starts)}/${utcDateTime(ends)}`],
    ['details', details],
    ['location', location],
    ['ctz', event.timezone],
  ])}`;
  const outlook = `https://outlook.live.com/calendar/0/deeplink/compose?${query([
    ['path', '/calendar/action/compose'],
    ['rru', 'addevent'],
    ['subject', event.title],
    ['startdt', iso(starts)],
    ['enddt', iso(ends)],
    ['body', details],
    ['location', location],
  ])}`;
  return { google, outlook };
}
