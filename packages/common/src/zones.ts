/**
 * Time zones, one rule for the API and the web app: what a valid zone is, the UTC offset of a zone
 * at an instant (and every change of it), what its clocks show, and the instant at which they show
 * a wall-clock date and time as people type them in a form ("2027-01-12" at "09:00" in
 * Europe/Paris). Correct across daylight saving changes: a time the clocks skip is refused, and a
 * time they show twice is the first one. Intl only: the same in Node and in every browser.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d(?::00(?:\.0+)?)?$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest zone name (the API's schema says the same: TimeZone in @opsi/contracts/events). */
const ZONE_MAX = 64;

/**
 * Whether `zone` is an IANA time zone this runtime knows, named by its place ("Europe/Paris",
 * "America/Port_of_Spain", "Etc/GMT+5") or "UTC". Abbreviations Intl also takes ("CET", "EST")
 * name no place and are refused, as is anything that could not be a zone name (a cookie carrying
 * "Europe/Paris; path=/", a name longer than 64 characters).
 */
export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!looksLikeTimeZone(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `zone` is written as a zone name can be ("Europe/Paris", "UTC"), without asking Intl
 * whether it exists: what a browser checks before keeping a zone it was just given by Intl, where
 * making a formatter would start ICU's date formatting on the page's main thread. isTimeZone is
 * the full check.
 */
export function looksLikeTimeZone(zone: string | null | undefined): zone is string {
  if (!zone || zone.length > ZONE_MAX || !/^[\w+\-/]+$/.test(zone)) return false;
  return zone === 'UTC' || zone.includes('/');
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in seconds (east positive; Paris in winter: 3600). */
export function utcOffsetSeconds(at: number | Date, zone: string): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`Unexpected UTC offset "${name}" for ${zone}`);
  if (!match[1]) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

/** The UTC offset of `zone` at `at`, in minutes (Paris in winter: 60). */
export function offsetMinutes(zone: string, at: Date): number {
  return Math.round(utcOffsetSeconds(at, zone) / 60);
}

export interface OffsetChange {
  /** The first instant (ms) of the new offset. */
  at: number;
  from: number;
  to: number;
}

/** Every change of the zone's UTC offset (seconds) in [from, to), found to the second. */
export function offsetChanges(zone: string, from: number, to: number): OffsetChange[] {
  const changes: OffsetChange[] = [];
  let t = Math.floor(from / 1000) * 1000;
  let offset = utcOffsetSeconds(t, zone);
  while (t < to) {
    const next = Math.min(t + DAY_MS, to);
    const nextOffset = utcOffsetSeconds(next, zone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (utcOffsetSeconds(mid, zone) === offset) lo = mid;
        else hi = mid;
      }
      changes.push({ at: hi, from: offset, to: utcOffsetSeconds(hi, zone) });
      offset = changes[changes.length - 1]!.to;
    }
    t = next;
  }
  return changes;
}

/**
 * The instants (ms, earliest first) at which the clocks of `zone` show the wall-clock time `local`
 * (its fields read as if in UTC): none when the clocks skip it, two when they show it twice. The
 * zone's offset is tried as it is a day before and a day after (both sides of any change), and an
 * offset counts only if the clocks really show that time then.
 */
export function instantsAt(local: number, zone: string): number[] {
  const offsets = new Set([-DAY_MS, 0, DAY_MS].map((d) => utcOffsetSeconds(local + d, zone)));
  return [...offsets]
    .map((offset) => local - offset * 1000)
    .filter((instant) => instant + utcOffsetSeconds(instant, zone) * 1000 === local)
    .sort((a, b) => a - b);
}

/** A date (YYYY-MM-DD) and a time (HH:MM) on the clocks of a zone. */
export interface WallClock {
  date: string;
  time: string;
}

export type ZonedResult =
  | { ok: true; iso: string }
  /** date: not a real date; time: not a time; zone: unknown; skipped: the clocks jump over it. */
  | { ok: false; reason: 'date' | 'time' | 'zone' | 'skipped' };

/** Whether `value` is a real calendar date written YYYY-MM-DD (no 31 April). */
export function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whether `value` is a time of day written HH:MM (seconds, if any, must be zero). */
export function isTime(value: string): boolean {
  return TIME.test(value);
}

function pad(value: number, length = 2): string {
  return String(value).padStart(length, '0');
}

/** What the clocks of `zone` show at `at`. */
export function wallClockAt(at: Date, zone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    date: `${pad(get('year'), 4)}-${pad(get('month'))}-${pad(get('day'))}`,
    time: `${pad(get('hour'))}:${pad(get('minute'))}`,
  };
}

/** The UTC instant (ISO 8601, `…Z`) at which the clocks of `zone` show `date` at `time`. */
export function zonedToUtc(date: string, time: string, zone: string): ZonedResult {
  if (!isDate(date)) return { ok: false, reason: 'date' };
  if (!isTime(time)) return { ok: false, reason: 'time' };
  if (!isTimeZone(zone)) return { ok: false, reason: 'zone' };
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const first = instantsAt(Date.UTC(year, month - 1, day, hour, minute), zone)[0];
  if (first === undefined) return { ok: false, reason: 'skipped' };
  return { ok: true, iso: new Date(first).toISOString() };
}

/** The date and time the clocks of `zone` show at `iso` (to fill a form), or null if unreadable. */
export function utcToZoned(iso: string, zone: string): WallClock | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || !isTimeZone(zone)) return null;
  return wallClockAt(at, zone);
}

/** The instant of a wall-clock time ("09:00") on the day that `date` falls on in `zone`. */
export function zonedTime(date: Date, time: string, zone: string): Date {
  const day = wallClockAt(date, zone).date;
  const result = zonedToUtc(day, time, zone);
  if (!result.ok) throw new Error(`No ${time} on ${day} in ${zone}: ${result.reason}`);
  return new Date(result.iso);
}

/**
 * The IANA zones to choose from: this runtime's list, with UTC and any zone that must be there
 * (the event's, the viewer's) even if the runtime spells it differently (Asia/Kolkata, Asia/Calcutta).
 */
export function timeZoneChoices(...extra: (string | null | undefined)[]): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const all = new Set(zones);
  all.add('UTC');
  for (const zone of extra) if (isTimeZone(zone)) all.add(zone);
  return [...all].sort(new Intl.Collator('en').compare);
}
