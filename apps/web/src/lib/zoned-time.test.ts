import { describe, expect, it } from 'vitest';
import { isDate, isTime, timeZoneChoices, utcToZoned, wallClockAt, zonedToUtc } from './zoned-time.ts';

const utc = (date: string, time: string, zone: string) => {
  const result = zonedToUtc(date, time, zone);
  return result.ok ? result.iso : result.reason;
};

describe('zonedToUtc', () => {
  it('reads a time in winter and in summer with the offset of that day', () => {
    expect(utc('2027-01-12', '09:00', 'Europe/Paris')).toBe('2027-01-12T08:00:00.000Z');
    expect(utc('2027-07-01', '09:00', 'Europe/Paris')).toBe('2027-07-01T07:00:00.000Z');
    expect(utc('2027-01-12', '09:00', 'America/Toronto')).toBe('2027-01-12T14:00:00.000Z');
    expect(utc('2027-07-01', '09:00', 'America/Toronto')).toBe('2027-07-01T13:00:00.000Z');
    expect(utc('2027-01-12', '09:00', 'UTC')).toBe('2027-01-12T09:00:00.000Z');
  });

  it('handles zones off the hour and on the other side of the date line', () => {
    expect(utc('2027-01-12', '09:00', 'Asia/Kolkata')).toBe('2027-01-12T03:30:00.000Z');
    expect(utc('2027-01-12', '09:00', 'Asia/Kathmandu')).toBe('2027-01-12T03:15:00.000Z');
    // 09:00 in Auckland (summer, UTC+13) is the previous evening in UTC.
    expect(utc('2027-01-12', '09:00', 'Pacific/Auckland')).toBe('2027-01-11T20:00:00.000Z');
    expect(utc('2027-01-12', '00:30', 'Pacific/Kiritimati')).toBe('2027-01-11T10:30:00.000Z');
  });

  it('is exact right before and after the clocks go forward', () => {
    // Paris, Sunday 28 March 2027: 02:00 CET becomes 03:00 CEST (at 01:00 UTC).
    expect(utc('2027-03-28', '01:59', 'Europe/Paris')).toBe('2027-03-28T00:59:00.000Z');
    expect(utc('2027-03-28', '03:00', 'Europe/Paris')).toBe('2027-03-28T01:00:00.000Z');
    // Toronto, Sunday 14 March 2027: 02:00 EST becomes 03:00 EDT.
    expect(utc('2027-03-14', '01:30', 'America/Toronto')).toBe('2027-03-14T06:30:00.000Z');
    expect(utc('2027-03-14', '03:30', 'America/Toronto')).toBe('2027-03-14T07:30:00.000Z');
  });

  it('refuses a time the clocks skip', () => {
    expect(utc('2027-03-28', '02:00', 'Europe/Paris')).toBe('skipped');
    expect(utc('2027-03-28', '02:30', 'Europe/Paris')).toBe('skipped');
    expect(utc('2027-03-14', '02:15', 'America/Toronto')).toBe('skipped');
  });

  it('takes the first of a time the clocks show twice', () => {
    // Paris, Sunday 31 October 2027: 03:00 CEST becomes 02:00 CET (at 01:00 UTC).
    expect(utc('2027-10-31', '02:30', 'Europe/Paris')).toBe('2027-10-31T00:30:00.000Z');
    expect(utc('2027-10-31', '03:00', 'Europe/Paris')).toBe('2027-10-31T02:00:00.000Z');
    expect(utc('2027-10-31', '01:59', 'Europe/Paris')).toBe('2027-10-30T23:59:00.000Z');
  });

  it('works in the southern hemisphere, where summer time is in January', () => {
    expect(utc('2027-01-12', '09:00', 'Australia/Sydney')).toBe('2027-01-11T22:00:00.000Z');
    expect(utc('2027-07-12', '09:00', 'Australia/Sydney')).toBe('2027-07-11T23:00:00.000Z');
    // Sydney, Sunday 4 April 2027: 03:00 AEDT becomes 02:00 AEST.
    expect(utc('2027-04-04', '02:30', 'Australia/Sydney')).toBe('2027-04-03T15:30:00.000Z');
  });

  it('says what it cannot read', () => {
    expect(utc('2027-02-30', '09:00', 'Europe/Paris')).toBe('date');
    expect(utc('12/01/2027', '09:00', 'Europe/Paris')).toBe('date');
    expect(utc('', '09:00', 'Europe/Paris')).toBe('date');
    expect(utc('2027-01-12', '24:00', 'Europe/Paris')).toBe('time');
    expect(utc('2027-01-12', '9h', 'Europe/Paris')).toBe('time');
    expect(utc('2027-01-12', '09:00', 'Mars/Olympus_Mons')).toBe('zone');
  });

  it('accepts times with zero seconds, as some browsers send them', () => {
    expect(utc('2027-01-12', '09:00:00', 'Europe/Paris')).toBe('2027-01-12T08:00:00.000Z');
    expect(isTime('09:00:30')).toBe(false);
  });
});

describe('utcToZoned and wallClockAt', () => {
  it('gives back what was typed, on both sides of a change', () => {
    for (const [date, time, zone] of [
      ['2027-01-12', '09:00', 'Europe/Paris'],
      ['2027-03-28', '03:00', 'Europe/Paris'],
      ['2027-10-31', '02:30', 'Europe/Paris'],
      ['2027-10-31', '23:45', 'America/Toronto'],
      ['2027-01-12', '00:15', 'Asia/Kolkata'],
    ] as const) {
      const result = zonedToUtc(date, time, zone);
      expect(result.ok).toBe(true);
      if (result.ok) expect(utcToZoned(result.iso, zone)).toEqual({ date, time });
    }
  });

  it('shows the day on the zone’s clocks, not in UTC', () => {
    expect(wallClockAt(new Date('2027-01-28T23:30:00Z'), 'Asia/Tokyo')).toEqual({ date: '2027-01-29', time: '08:30' });
    expect(utcToZoned('not a date', 'Europe/Paris')).toBeNull();
    expect(utcToZoned('2027-01-12T08:00:00Z', 'Nowhere')).toBeNull();
  });
});

describe('isDate', () => {
  it('knows leap years', () => {
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(isDate('2027-04-31')).toBe(false);
  });
});

describe('timeZoneChoices', () => {
  it('lists the runtime’s zones with UTC and the ones asked for, once each, sorted', () => {
    const zones = timeZoneChoices('Europe/Paris', 'Asia/Kolkata', 'Asia/Calcutta', 'Not/A_Zone', null);
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Paris');
    expect(zones).toContain('Asia/Kolkata');
    expect(zones).toContain('Asia/Calcutta');
    expect(zones).not.toContain('Not/A_Zone');
    expect(new Set(zones).size).toBe(zones.length);
    expect([...zones].sort((a, b) => a.localeCompare(b, 'en'))).toEqual(zones);
  });
});
