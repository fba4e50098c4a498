/**
 * "3 hours ago" / "il y a 3 heures": a time relative to `now`. The server passes `now` with the
 * page data, so the server's HTML and the browser's hydration say the same thing.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function timeAgo(iso: string, now: number, formatLocale: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = (then - now) / 1000;
  const format = new Intl.RelativeTimeFormat(formatLocale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  // Under a minute (or a clock a little ahead of the server's): "now".
  return format.format(0, 'second');
}
