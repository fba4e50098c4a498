/**
 * Wall-clock dates and times in a time zone, as people type them in a form ("2027-01-12" at
 * "09:00" in Europe/Paris), and the UTC instants the API stores. Correct across daylight saving
 * changes: a time the clocks skip is refused, and a time they show twice is the first one.
 */
import { clockFields, isTimeZone, offsetMinutes } from '#lib/event-time.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d(?::00(?:\.0+)?)?$/;
const HOUR_MS = 3_600_000;

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
  const c = clockFields(at, zone);
  return {
    date: `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`,
    time: `${pad(c.hour)}:${pad(c.minute)}`,
  };
}

/**
 * The UTC instant (ISO 8601, `…Z`) at which the clocks of `zone` show `date` at `time`.
 * The zone's offset is tried as it is a day before and a day after (both sides of any change),
 * and an offset counts only if the clocks really show that time then.
 */
export function zonedToUtc(date: string, time: string, zone: string): ZonedResult {
  if (!isDate(date)) return { ok: false, reason: 'date' };
  if (!isTime(time)) return { ok: false, reason: 'time' };
  if (!isTimeZone(zone)) return { ok: false, reason: 'zone' };
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set([-24, 0, 24].map((hours) => offsetMinutes(zone, new Date(asUtc + hours * HOUR_MS))));
  const wanted = `${date}T${time.slice(0, 5)}`;
  const matches = [...offsets]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => {
      const shown = wallClockAt(new Date(instant), zone);
      return `${shown.date}T${shown.time}` === wanted;
    })
    .sort((a, b) => a - b);
  const first = matches[0];
  if (first === undefined) return { ok: false, reason: 'skipped' };
  return { ok: true, iso: new Date(first).toISOString() };
}

/** The date and time the clocks of `zone` show at `iso` (to fill a form), or null if unreadable. */
export function utcToZoned(iso: string, zone: string): WallClock | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || !isTimeZone(zone)) return null;
  return wallClockAt(at, zone);
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
  return [...all].sort((a, b) => a.localeCompare(b, 'en'));
}
