import { describe, expect, it } from 'vitest';
import {
  instantsAt,
  isDate,
  isTime,
  isTimeZone,
  offsetChanges,
  offsetMinutes,
  timeZoneChoices,
  utcOffsetSeconds,
  utcToZoned,
  wallClockAt,
  zonedTime,
  zonedToUtc,
} from './zones.ts';

// Tuesday 12 January 2027, 09:00 in Paris (UTC+1 in winter).
const start = '2027-01-12T08:00:00.000Z';

describe('isTimeZone', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('America/Port_of_Spain')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('Europe/Paris; path=/')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(null)).toBe(false);
  });

  it('takes zones named by their place, not the abbreviations Intl also knows', () => {
    expect(isTimeZone('Etc/GMT+5')).toBe(true);
    expect(isTimeZone('Asia/Calcutta')).toBe(true);
    for (const zone of ['CET', 'EST', 'GMT', '+05:00', 'Mars/Olympus', `Europe/${'x'.repeat(60)}`]) {
      expect(isTimeZone(zone), zone).toBe(false);
    }
  });

  it('agrees with the zones the runtime lists (the choices of the event form)', () => {
    expect(Intl.supportedValuesOf('timeZone').filter((zone) => !isTimeZone(zone))).toEqual([]);
  });
});

describe('offsets', () => {
  it('knows summer and winter time', () => {
    expect(offsetMinutes('Europe/Paris', new Date(start))).toBe(60);
    expect(offsetMinutes('Europe/Paris', new Date('2027-07-01T12:00:00Z'))).toBe(120);
    expect(offsetMinutes('America/Toronto', new Date(start))).toBe(-300);
    expect(offsetMinutes('Asia/Kolkata', new Date(start))).toBe(330);
  });

  it('gives the offset to the second, zero for UTC', () => {
    expect(utcOffsetSeconds(Date.parse(start), 'Asia/Kathmandu')).toBe(5 * 3600 + 45 * 60);
    expect(utcOffsetSeconds(new Date(start), 'UTC')).toBe(0);
    expect(utcOffsetSeconds(new Date(start), 'America/St_Johns')).toBe(-(3 * 3600 + 30 * 60));
  });

  it('finds each change of offset to the second, and none where there is none', () => {
    const year = [Date.UTC(2027, 0, 1), Date.UTC(2028, 0, 1)] as const;
    expect(offsetChanges('Europe/Paris', ...year)).toEqual([
      { at: Date.parse('2027-03-28T01:00:00Z'), from: 3600, to: 7200 },
      { at: Date.parse('2027-10-31T01:00:00Z'), from: 7200, to: 3600 },
    ]);
    expect(offsetChanges('Asia/Tokyo', ...year)).toEqual([]);
  });

  it('tells the instants a wall-clock time has: none when skipped, two when shown twice', () => {
    const local = (iso: string) => Date.parse(`${iso}Z`);
    expect(instantsAt(local('2027-01-12T09:00:00'), 'Europe/Paris')).toEqual([Date.parse(start)]);
    expect(instantsAt(local('2027-03-28T02:30:00'), 'Europe/Paris')).toEqual([]);
    expect(instantsAt(local('2027-10-31T02:30:00'), 'Europe/Paris')).toEqual([
      Date.parse('2027-10-31T00:30:00Z'),
      Date.parse('2027-10-31T01:30:00Z'),
    ]);
  });
});

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

describe('zonedTime', () => {
  it('turns a wall-clock time in a zone into the right instant, on both sides of DST', () => {
    expect(zonedTime(new Date('2026-01-15T12:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-01-15T08:00:00.000Z',
    );
    expect(zonedTime(new Date('2026-07-15T12:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-07-15T07:00:00.000Z',
    );
    expect(zonedTime(new Date('2026-03-29T12:00:00Z'), '09:00', 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(zonedTime(new Date('2026-11-01T12:00:00Z'), '18:30', 'America/Bogota').toISOString()).toBe(
      '2026-11-01T23:30:00.000Z',
    );
    expect(zonedTime(new Date('2026-06-01T12:00:00Z'), '10:00', 'Asia/Kolkata').toISOString()).toBe(
      '2026-06-01T04:30:00.000Z',
    );
  });

  it('refuses a time the clocks skip that day', () => {
    expect(() => zonedTime(new Date('2027-03-28T12:00:00Z'), '02:30', 'Europe/Paris')).toThrow(/skipped/);
  });
});
