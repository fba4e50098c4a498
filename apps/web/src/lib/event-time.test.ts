import { describe, expect, it } from 'vitest';
import { eventPhase, formatClock, formatEventTime, sameClock, sameDay, zoneCity, zoneName } from './event-time.ts';

// Tuesday 12 January 2027, 09:00–17:00 in Paris (UTC+1 in winter).
const start = '2027-01-12T08:00:00.000Z';
const end = '2027-01-12T16:00:00.000Z';

describe('sameClock', () => {
  it('treats zones with the same clock during the event as one', () => {
    expect(sameClock('Europe/Paris', 'Europe/Paris', start, end)).toBe(true);
    expect(sameClock('Europe/Paris', 'Europe/Brussels', start, end)).toBe(true);
    expect(sameClock('Europe/Paris', 'Europe/London', start, end)).toBe(false);
    expect(sameClock('America/Bogota', 'America/Toronto', start, end)).toBe(true);
  });
});

describe('formatEventTime', () => {
  it('shows a day-long event in the event zone, with the zone', () => {
    expect(formatEventTime(start, end, 'Europe/Paris', 'en-GB')).toBe('Tuesday, 12 January 2027, 09:00–17:00 CET');
  });

  it('shows the same moment in the viewer zone and language', () => {
    const text = formatEventTime(start, end, 'America/Toronto', 'fr-FR');
    expect(text).toContain('mardi 12 janvier 2027');
    expect(text).toMatch(/03:00\s*–\s*11:00 UTC−5/);
  });

  it('shows both ends of an event over several days', () => {
    const text = formatEventTime(start, '2027-01-13T16:00:00.000Z', 'Europe/Paris', 'en-GB', 'short');
    expect(text).toContain('Tue, 12 Jan 2027, 09:00 CET');
    expect(text).toContain('Wed, 13 Jan 2027, 17:00 CET');
  });

  it('shows only the start when the end is missing or not after it', () => {
    expect(formatEventTime(start, null, 'Europe/Paris', 'en-GB', 'short')).toBe('Tue, 12 Jan 2027, 09:00 CET');
    expect(formatEventTime(start, start, 'Europe/Paris', 'en-GB', 'short')).toBe('Tue, 12 Jan 2027, 09:00 CET');
  });

  it('gives back what it cannot read', () => {
    expect(formatEventTime('not a date', end, 'Europe/Paris', 'en-GB')).toBe('not a date');
  });
});

describe('zones by name', () => {
  it('names a zone in the viewer language and by its city', () => {
    expect(zoneName('Europe/Paris', 'en-GB', start)).toBe('Central European Time');
    expect(zoneName('Europe/Paris', 'fr-FR', start)).toBe('heure d’Europe centrale');
    expect(zoneCity('Europe/Paris')).toBe('Paris');
    expect(zoneCity('America/Port_of_Spain')).toBe('Port of Spain');
    expect(zoneCity('UTC')).toBe('UTC');
  });

  it('gives the clock time alone, or with the day when that differs', () => {
    expect(formatClock(start, 'Europe/Paris', 'en-GB')).toBe('09:00 CET');
    expect(sameDay(start, 'Europe/Paris', 'America/Toronto')).toBe(true);
    // 23:30 in London is already the next morning in Tokyo.
    const late = '2027-01-28T23:30:00.000Z';
    expect(sameDay(late, 'Europe/London', 'Asia/Tokyo')).toBe(false);
    expect(formatClock(late, 'Asia/Tokyo', 'en-GB', true)).toBe('Fri 29 Jan, 08:30 GMT+9');
  });
});

describe('eventPhase', () => {
  const at = (iso: string) => new Date(iso).getTime();
  it('tells upcoming, ongoing and ended apart', () => {
    expect(eventPhase(start, end, at('2027-01-12T07:59:00Z'))).toBe('upcoming');
    expect(eventPhase(start, end, at('2027-01-12T08:00:00Z'))).toBe('ongoing');
    expect(eventPhase(start, end, at('2027-01-12T16:00:00Z'))).toBe('ended');
  });
});
