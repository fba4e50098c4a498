/**
 * Calendars, read back with two independent iCalendar parsers (ical.js, node-ical): instants
 * across DST changes and the generated VTIMEZONEs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { renderCalendar, vtimezone } from './ics.ts';
import {
  eventIcs,
  icalJsEvents,
  newEvent,
  nodeIcalEvents,
  ORIGIN,
  sample,
  startCalendarApp,
  stopCalendarApp,
} from './testing.ts';

beforeAll(startCalendarApp);
afterAll(stopCalendarApp);

describe('times across time zones and DST changes', () => {
  const cases = [
    {
      name: 'Europe/Paris, the night clocks go forward (last Sunday of March)',
      zone: 'Europe/Paris',
      startsAt: '2027-03-27T23:30:00Z', // 00:30 CET
      endsAt: '2027-03-28T02:00:00Z', // 04:00 CEST
      local: ['20270328T003000', '20270328T040000'],
    },
    {
      name: 'America/New_York, the night clocks go back (November)',
      zone: 'America/New_York',
      startsAt: '2027-11-07T04:30:00Z', // 00:30 EDT
      endsAt: '2027-11-07T08:00:00Z', // 03:00 EST
      local: ['20271107T003000', '20271107T030000'],
    },
    {
      name: 'Australia/Sydney, the night clocks go back (April)',
      zone: 'Australia/Sydney',
      startsAt: '2027-04-03T14:00:00Z', // 01:00 AEDT
      endsAt: '2027-04-03T18:00:00Z', // 04:00 AEST
      local: ['20270404T010000', '20270404T040000'],
    },
    {
      name: 'Asia/Kolkata (UTC+05:30)',
      zone: 'Asia/Kolkata',
      startsAt: '2027-01-15T04:00:00Z', // 09:30 IST
      endsAt: '2027-01-15T11:30:00Z', // 17:00 IST
      local: ['20270115T093000', '20270115T170000'],
    },
    {
      name: 'UTC',
      zone: 'UTC',
      startsAt: '2027-06-01T09:00:00Z',
      endsAt: '2027-06-01T17:00:00Z',
      local: ['20270601T090000', '20270601T170000'],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: both parsers read the event's instants`, async () => {
      const created = await newEvent({ startsAt: c.startsAt, endsAt: c.endsAt, timezone: c.zone });
      const ics = (await eventIcs(created.slug)).body;
      expect(ics).toContain(`\r\nDTSTART;TZID=${c.zone}:${c.local[0]}\r\n`);
      expect(ics).toContain(`\r\nDTEND;TZID=${c.zone}:${c.local[1]}\r\n`);
      expect(ics).toContain(`\r\nBEGIN:VTIMEZONE\r\nTZID:${c.zone}\r\n`);

      const [viaIcalJs] = icalJsEvents(ics);
      expect(viaIcalJs!.startDate.toUnixTime() * 1000).toBe(Date.parse(c.startsAt));
      expect(viaIcalJs!.endDate.toUnixTime() * 1000).toBe(Date.parse(c.endsAt));
      // ical.js has no time zone database: the zone it used is the VTIMEZONE of the file.
      const zone = viaIcalJs!.startDate.zone as ICAL.Timezone;
      expect(zone.tzid).toBe(c.zone);
      expect(zone.component?.getFirstPropertyValue('tzid')).toBe(c.zone);

      const [viaNodeIcal] = nodeIcalEvents(ics);
      expect(viaNodeIcal!.start!.getTime()).toBe(Date.parse(c.startsAt));
      expect(viaNodeIcal!.end!.getTime()).toBe(Date.parse(c.endsAt));
    });
  }

  it('writes a repeated local hour (clocks going back) in UTC, so no reader can pick the wrong one', () => {
    const first = sample({
      id: 'first',
      timezone: 'America/New_York',
      startsAt: new Date('2027-11-07T05:30:00Z'), // 01:30 EDT
      endsAt: new Date('2027-11-07T07:00:00Z'), // 02:00 EST
    });
    const second = sample({
      id: 'second',
      timezone: 'America/New_York',
      startsAt: new Date('2027-11-07T06:30:00Z'), // 01:30 EST, the same wall-clock time
      endsAt: new Date('2027-11-07T08:30:00Z'), // 03:30 EST
    });
    const ics = renderCalendar([first, second], { publicOrigin: ORIGIN });
    expect(ics).toContain('\r\nDTSTART:20271107T053000Z\r\n');
    expect(ics).toContain('\r\nDTSTART:20271107T063000Z\r\n');
    expect(ics).toContain('\r\nDTEND;TZID=America/New_York:20271107T020000\r\n');
    const starts = (list: { uid: string; start: number; end: number }[]) =>
      Object.fromEntries(list.map((e) => [e.uid, [e.start, e.end]]));
    const expected = {
      'event-first@opsi.example': [Date.parse('2027-11-07T05:30:00Z'), Date.parse('2027-11-07T07:00:00Z')],
      'event-second@opsi.example': [Date.parse('2027-11-07T06:30:00Z'), Date.parse('2027-11-07T08:30:00Z')],
    };
    expect(
      starts(
        icalJsEvents(ics).map((e) => ({
          uid: e.uid,
          start: e.startDate.toUnixTime() * 1000,
          end: e.endDate.toUnixTime() * 1000,
        })),
      ),
    ).toEqual(expected);
    expect(
      starts(nodeIcalEvents(ics).map((e) => ({ uid: e.uid!, start: e.start!.getTime(), end: e.end!.getTime() }))),
    ).toEqual(expected);
  });
});

describe('the generated VTIMEZONEs', () => {
  const HOUR = 60 * 60 * 1000;

  const formats = new Map<string, Intl.DateTimeFormat>();

  /** Wall-clock fields of an instant in a zone, from Intl (independently of calendar.ts). */
  function wallClock(at: number, zone: string) {
    let format = formats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      formats.set(zone, format);
    }
    const parts = format.formatToParts(at);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return {
      year: get('year'),
      month: get('month'),
      day: get('day'),
      hour: get('hour'),
      minute: get('minute'),
      second: get('second'),
    };
  }

  for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']) {
    it(`${zone}: ical.js, with only our VTIMEZONE, turns every hour of 2027 back into the right instant`, () => {
      const ics = renderCalendar([], { publicOrigin: ORIGIN }).replace(
        'END:VCALENDAR',
        `${vtimezone(zone, 2027, 2027).join('\r\n')}\r\nEND:VCALENDAR`,
      );
      const component = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vtimezone')!;
      const timezone = new ICAL.Timezone({ component, tzid: zone });
      let checked = 0;
      for (let at = Date.UTC(2027, 0, 1, 12); at < Date.UTC(2028, 0, 1); at += HOUR) {
        const local = wallClock(at, zone);
        const same = (other: number) => JSON.stringify(wallClock(other, zone)) === JSON.stringify(local);
        // A wall-clock time that happens twice cannot name one instant: skip it.
        if ([HOUR, 2 * HOUR].some((d) => same(at - d) || same(at + d))) continue;
        expect(
          ICAL.Time.fromData(local, timezone).toUnixTime() * 1000,
          `${zone} at ${new Date(at).toISOString()}`,
        ).toBe(at);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(8700);
    });
  }

  it('has the DST onsets with their offsets, and a single STANDARD for zones without DST', () => {
    const paris = vtimezone('Europe/Paris', 2027, 2027).join('\n');
    expect(paris).toContain(
      'BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT',
    );
    expect(paris).toContain(
      'BEGIN:STANDARD\nDTSTART:20271031T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD',
    );
    const newYork = vtimezone('America/New_York', 2027, 2027).join('\n');
    expect(newYork).toContain('BEGIN:STANDARD\nDTSTART:20271107T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500');
    const sydney = vtimezone('Australia/Sydney', 2027, 2027).join('\n');
    expect(sydney).toContain('BEGIN:STANDARD\nDTSTART:20270404T030000\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000');
    expect(sydney).toContain('BEGIN:DAYLIGHT\nDTSTART:20271003T020000\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100');
    for (const [zone, offset] of [
      ['Asia/Kolkata', '+0530'],
      ['UTC', '+0000'],
    ] as const) {
      const lines = vtimezone(zone, 2027, 2028);
      expect(lines.filter((l) => l === 'BEGIN:STANDARD')).toHaveLength(1);
      expect(lines).not.toContain('BEGIN:DAYLIGHT');
      expect(lines).toContain(`TZOFFSETFROM:${offset}`);
      expect(lines).toContain(`TZOFFSETTO:${offset}`);
    }
  });
});
