/**
 * "3 hours ago" / "il y a 3 heures": a time relative to `now`. The server passes `now` with the
 * page data, so the server's HTML and the browser's hydration say the same thing.
 */
import { formatOnce, relativeTimeFormat } from '#lib/intl.ts';

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
  // Under a minute (or a clock a little ahead of the server's): "now", as 0 seconds.
  let unit: Intl.RelativeTimeFormatUnit = 'second';
  let value = 0;
  for (const [name, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      unit = name;
      value = Math.trunc(seconds / size);
      break;
    }
  }
  return formatOnce(`ago\u0001${formatLocale}\u0001${unit}\u0001${value}`, () =>
    relativeTimeFormat(formatLocale, { numeric: 'auto' }).format(value, unit),
  );
}
