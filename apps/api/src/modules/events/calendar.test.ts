/**
 * Calendars, read back with two independent iCalendar parsers (ical.js, node-ical): instants
 * across DST changes, the generated VTIMEZONEs, escaping and folding, SEQUENCE and STATUS after
 * edits, the private feed and its token, and who sees the online link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import type { NewEvent } from '@opsi/contracts/events';
import { createTestApp, signUp, signUpAs, uniqueSlug } from '../../testing.ts';
import { createEventsService, type EventsService } from './service.ts';
import {
  calendarLinks,
  escapeText,
  foldLine,
  markdownToText,
  renderCalendar,
  vtimezone,
  type CalendarEvent,
} from './calendar.ts';

let app: FastifyInstance;
let events: EventsService;
type Member = Awaited<ReturnType<typeof signUp>>;
let organiser: Member;
let organiserActor: { id: string; role: 'organiser' };

beforeAll(async () => {
  app = await createTestApp();
  events = createEventsService(app.database, app.config.publicOrigin);
  organiser = await signUpAs(app, 'organiser');
  organiserActor = { id: organiser.user.id, role: 'organiser' };
});
afterAll(async () => {
  await app.close();
});

function call(who: Member | null, options: InjectOptions) {
  return app.inject({ ...options, headers: { ...(who ? { cookie: who.cookie } : {}), ...options.headers } });
}

async function newEvent(overrides: Partial<NewEvent> & Pick<NewEvent, 'startsAt' | 'endsAt' | 'timezone'>) {
  return events.create(organiserActor, {
    title: `Calendar test ${uniqueSlug('t')}`,
    slug: uniqueSlug('cal'),
    mode: 'online',
    onlineUrl: `https://meet.example.org/${uniqueSlug('room')}`,
    ...overrides,
  });
}

/** The .ics of an event, as someone (or no one) signed in. */
async function eventIcs(slug: string, who: Member | null = null) {
  const res = await call(who, { method: 'GET', url: `/api/v1/events/${slug}/calendar.ics` });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

function icalJsEvents(ics: string): ICAL.Event[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  return root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

function nodeIcalEvents(ics: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (value as { val: string }).val;
}

/** A CalendarEvent for the pure functions. */
function sample(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    slug: 'sample-event',
    title: 'Sample event',
    description: 'About the event.',
    startsAt: new Date('2027-05-10T08:00:00Z'),
    endsAt: new Date('2027-05-10T10:00:00Z'),
    timezone: 'Europe/Paris',
    mode: 'in_person',
    venue: 'Town hall',
    address: '1 Main Street',
    onlineUrl: null,
    status: 'published',
    sequence: 0,
    createdAt: new Date('2026-11-01T09:00:00Z'),
    updatedAt: new Date('2026-11-02T09:00:00Z'),
    organiser: { handle: 'ann', displayName: 'Ann Organiser' },
    ...overrides,
  };
}

const ORIGIN = 'https://opsi.example';

/** A one-hour slot some days from now (RSVPs close once an event is over). */
function inDays(days: number) {
  const startsAt = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  startsAt.setUTCMinutes(0, 0, 0);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 60 * 60 * 1000).toISOString() };
}

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

describe('the VCALENDAR and VEVENT', () => {
  it('has the calendar and event properties, CRLF line ends and a plain-text description', async () => {
    const created = await newEvent({
      startsAt: '2027-05-10T08:00:00Z',
      endsAt: '2027-05-10T10:00:00Z',
      timezone: 'Europe/Paris',
      mode: 'in_person',
      onlineUrl: undefined,
      venue: 'Hôtel de Ville',
      address: 'Place de l’Hôtel de Ville, Paris',
      description: '# Agenda\n\nBring **ideas** and read [the brief](https://example.org/brief).\n\n- one\n- two',
    });
    const row = await events.load(created.slug);
    const res = await eventIcs(created.slug);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${created.slug}.ics"`);
    const ics = res.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics).toContain('\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

    const root = new ICAL.Component(ICAL.parse(ics));
    expect(root.getFirstPropertyValue('prodid')).toMatch(/^-\/\/OPSI/);
    const vevent = root.getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    const host = new URL(app.config.publicOrigin).hostname;
    expect(event.uid).toBe(`event-${row.id}@${host}`);
    expect(event.summary).toBe(created.title);
    expect(event.location).toBe('Hôtel de Ville, Place de l’Hôtel de Ville, Paris');
    const url = `${app.config.publicOrigin}/events/${created.slug}`;
    expect(event.description).toBe(
      `Agenda\n\nBring ideas and read the brief (https://example.org/brief).\n\n- one\n- two\n\n${url}`,
    );
    expect(vevent.getFirstPropertyValue('url')).toBe(url);
    expect(event.sequence).toBe(created.sequence);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const organizer = vevent.getFirstProperty('organizer')!;
    expect(organizer.getParameter('cn')).toBe(`Member ${organiser.handle}`);
    expect(organizer.getFirstValue()).toBe(`${app.config.publicOrigin}/people/${organiser.handle}`);
    const utc = (name: string) => (vevent.getFirstPropertyValue(name) as ICAL.Time).toUnixTime();
    expect(Math.abs(utc('dtstamp') * 1000 - Date.now())).toBeLessThan(60_000);
    expect(utc('created')).toBe(Math.floor(row.createdAt.getTime() / 1000));
    expect(utc('last-modified')).toBe(Math.floor(row.updatedAt.getTime() / 1000));
    expect(ics).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(ics).toMatch(/\r\nCREATED:\d{8}T\d{6}Z\r\n/);
    expect(ics).toMatch(/\r\nLAST-MODIFIED:\d{8}T\d{6}Z\r\n/);

    const [parsed] = nodeIcalEvents(ics);
    expect(parsed!.uid).toBe(`event-${row.id}@${host}`);
    expect(text(parsed!.description)).toBe(event.description);
    expect(text(parsed!.location)).toBe(event.location);
  });

  it('raises SEQUENCE on every edit and says CANCELLED once cancelled', async () => {
    const created = await newEvent({
      startsAt: '2027-02-01T09:00:00Z',
      endsAt: '2027-02-01T11:00:00Z',
      timezone: 'Europe/Paris',
    });
    const read = async () => {
      const ics = (await eventIcs(created.slug)).body;
      const [a] = icalJsEvents(ics);
      const [b] = nodeIcalEvents(ics);
      return {
        sequence: a!.sequence,
        nodeSequence: Number(b!.sequence),
        status: a!.component.getFirstPropertyValue('status'),
        nodeStatus: b!.status,
        summary: a!.summary,
        start: a!.startDate.toUnixTime() * 1000,
      };
    };
    const before = await read();
    expect(before).toMatchObject({ sequence: created.sequence, status: 'CONFIRMED', nodeStatus: 'CONFIRMED' });
    expect(before.nodeSequence).toBe(before.sequence);

    const edited = await events.update(organiserActor, created.slug, {
      title: 'Moved workshop',
      startsAt: '2027-02-01T10:00:00Z',
      endsAt: '2027-02-01T12:00:00Z',
    });
    const after = await read();
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(after.sequence).toBe(edited.sequence);
    expect(after.nodeSequence).toBe(after.sequence);
    expect(after.summary).toBe('Moved workshop');
    expect(after.start).toBe(Date.parse('2027-02-01T10:00:00Z'));

    const cancelled = await events.cancel(organiserActor, created.slug);
    const gone = await read();
    expect(gone.status).toBe('CANCELLED');
    expect(gone.nodeStatus).toBe('CANCELLED');
    expect(gone.sequence).toBe(cancelled.sequence);
    expect(gone.sequence).toBeGreaterThan(after.sequence);
  });

  it('escapes commas, semicolons, backslashes and newlines so they round-trip', () => {
    const title = 'Commas, semicolons; a back\\slash, a comma after one\\, and\na newline\r\nand CRLF';
    // A backslash followed by "n" is written \\n; node-ical (0.27) unescapes \n before \\ and so
    // misreads it (ical.js reads it right), so that case is read back with ical.js only.
    const literal = 'a literal \\n, not a newline';
    const venue = 'Room 1; floor 2, \\ wing';
    const organiser = { handle: 'ann', displayName: 'Ann "A", Smith; Jr: ^_^' };
    const ics = renderCalendar(
      [sample({ id: 'one', title, venue, address: 'A;B,C', organiser }), sample({ id: 'two', title: literal })],
      { publicOrigin: ORIGIN },
    );
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(
      'SUMMARY:Commas\\, semicolons\\; a back\\\\slash\\, a comma after one\\\\\\, and\\na newline\\nand CRLF\r\n',
    );
    expect(unfolded).toContain('SUMMARY:a literal \\\\n\\, not a newline\r\n');
    const expected = title.replace('\r\n', '\n');
    const [a, aLiteral] = icalJsEvents(ics);
    const b = nodeIcalEvents(ics).find((e) => e.uid === 'event-one@opsi.example');
    expect(a!.summary).toBe(expected);
    expect(text(b!.summary)).toBe(expected);
    expect(aLiteral!.summary).toBe(literal);
    expect(a!.location).toBe(`${venue}, A;B,C`);
    expect(text(b!.location)).toBe(`${venue}, A;B,C`);
    // Parameter values are quoted, with RFC 6868 escapes for quotes and carets.
    expect(ics).toContain('ORGANIZER;CN="Ann ^\'A^\', Smith; Jr: ^^_^^":https://opsi.example/people/ann\r\n');
    expect(a!.component.getFirstProperty('organizer')!.getParameter('cn')).toBe(organiser.displayName);
    expect(escapeText('a\u0000b\u0007c\td')).toBe('abc\td');
  });

  it('folds lines at 75 octets without splitting a character, and they unfold intact', async () => {
    const title = `Réunion des équipes 🎉 ${'👩🏽‍💻 café ñandú 日本語 '.repeat(6)}fin`;
    const description = `${'Ünïcödé ✓ 🚀 '.repeat(40)}end`;
    const created = await newEvent({
      startsAt: '2027-03-01T09:00:00Z',
      endsAt: '2027-03-01T10:00:00Z',
      timezone: 'Europe/Paris',
      title,
      description,
    });
    const res = await eventIcs(created.slug);
    const bytes = res.rawPayload;
    // Split the bytes (not the decoded text) at CRLF; every line must be valid UTF-8 on its own.
    const lines: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < bytes.length - 1; i += 1) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        lines.push(bytes.subarray(from, i));
        from = i + 2;
      }
    }
    expect(from).toBe(bytes.length);
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => strict.decode(line)).not.toThrow();
    }
    const continuations = lines.filter((l) => l[0] === 0x20);
    expect(continuations.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.length >= 72)).toBe(true);

    const [a] = icalJsEvents(res.body);
    const [b] = nodeIcalEvents(res.body);
    expect(a!.summary).toBe(title);
    expect(text(b!.summary)).toBe(title);
    expect(a!.description.startsWith(description)).toBe(true);
    expect(text(b!.description).startsWith(description)).toBe(true);

    // foldLine on its own: 3- and 4-octet characters at every possible boundary.
    for (let pad = 0; pad < 4; pad += 1) {
      const folded = foldLine(`X:${'a'.repeat(pad)}${'€😀'.repeat(60)}`);
      for (const part of folded.split('\r\n')) {
        expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
        expect(part.isWellFormed()).toBe(true);
      }
      expect(folded.replace(/\r\n /g, '')).toBe(`X:${'a'.repeat(pad)}${'€😀'.repeat(60)}`);
    }
  });

  it('turns markdown into plain text', () => {
    expect(markdownToText('1. *first*\n2. `second`\n\n> quoted\n\nwrite to <a@b.org> and https://x.org')).toBe(
      '1. first\n2. second\n\nquoted\n\nwrite to a@b.org and https://x.org',
    );
  });
});

describe('the private feed and who sees the online link', () => {
  it('lists only the events the member is going to, with their online links; never another member’s', async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const alicesRoom = `https://meet.example.org/${uniqueSlug('alice-room')}`;
    const bobsRoom = `https://meet.example.org/${uniqueSlug('bob-room')}`;
    const going = await newEvent({
      ...inDays(31),
      timezone: 'Europe/Paris',
      onlineUrl: alicesRoom,
    });
    const interested = await newEvent({
      ...inDays(32),
      timezone: 'Europe/Paris',
    });
    const full = await newEvent({
      ...inDays(33),
      timezone: 'America/New_York',
      capacity: 1,
      onlineUrl: bobsRoom,
    });
    const declined = await newEvent({
      ...inDays(34),
      timezone: 'Asia/Kolkata',
    });
    const rsvp = (who: Member, slug: string, status: 'going' | 'interested' | 'declined') =>
      call(who, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
    expect((await rsvp(alice, going.slug, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(alice, interested.slug, 'interested')).statusCode).toBe(200);
    expect((await rsvp(bob, full.slug, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(alice, full.slug, 'going')).json()).toMatchObject({ status: 'waitlisted' });
    expect((await rsvp(alice, declined.slug, 'going')).statusCode).toBe(200);
    expect((await rsvp(alice, declined.slug, 'declined')).statusCode).toBe(200);

    const feedOf = async (who: Member) => {
      const created = await call(who, { method: 'POST', url: '/api/v1/me/calendar-token' });
      expect(created.statusCode, created.body).toBe(200);
      const { url } = created.json<{ url: string }>();
      expect(url).toMatch(new RegExp(`^${app.config.publicOrigin}/api/v1/calendar/[a-z2-7]{32}\\.ics$`));
      const res = await app.inject({ method: 'GET', url: new URL(url).pathname });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers['cache-control']).toBe('private, no-store');
      return res.body;
    };
    const slugs = (ics: string) =>
      icalJsEvents(ics).map((e) => String(e.component.getFirstPropertyValue('url')).split('/').pop());

    const alicesFeed = await feedOf(alice);
    expect(slugs(alicesFeed)).toEqual([going.slug]);
    expect(nodeIcalEvents(alicesFeed).map((e) => text(e.summary))).toEqual([going.title]);
    const [aliceEvent] = icalJsEvents(alicesFeed);
    expect(aliceEvent!.description).toContain(`Join online: ${alicesRoom}`);
    expect(aliceEvent!.component.getFirstPropertyValue('conference')).toBe(alicesRoom);
    expect(alicesFeed).not.toContain(bobsRoom);

    const bobsFeed = await feedOf(bob);
    expect(slugs(bobsFeed)).toEqual([full.slug]);
    expect(icalJsEvents(bobsFeed)[0]!.description).toContain(`Join online: ${bobsRoom}`);
    expect(bobsFeed).not.toContain(alicesRoom);
    expect(bobsFeed).not.toContain(going.slug);

    // The public file of the same event has no link; a member going (or an organiser) gets it, privately.
    const anonymous = await eventIcs(going.slug);
    expect(anonymous.body).not.toContain(alicesRoom);
    expect(anonymous.body).not.toContain('CONFERENCE');
    expect(anonymous.body).not.toContain('Join online');
    expect(icalJsEvents(anonymous.body)[0]!.location).toBe('Online');
    expect(anonymous.headers['cache-control']).toBe('public, max-age=300');
    expect(anonymous.headers.vary).toMatch(/cookie/i);
    for (const who of [alice, organiser]) {
      const mine = await eventIcs(going.slug, who);
      expect(icalJsEvents(mine.body)[0]!.description).toContain(`Join online: ${alicesRoom}`);
      expect(mine.headers['cache-control']).toBe('private, no-store');
    }
    const notGoing = await eventIcs(going.slug, bob);
    expect(notGoing.body).not.toContain(alicesRoom);
    expect(notGoing.headers['cache-control']).toBe('private, no-store');
  });

  it('replaces and revokes the token: an old or revoked URL is 404, the new one works', async () => {
    const member = await signUp(app);
    const event = await newEvent({
      ...inDays(35),
      timezone: 'UTC',
    });
    await call(member, { method: 'PUT', url: `/api/v1/events/${event.slug}/rsvp`, payload: { status: 'going' } });
    const status = async () => (await call(member, { method: 'GET', url: '/api/v1/me/calendar-token' })).json();
    expect(await status()).toEqual({ active: false });

    const path = async () => {
      const res = await call(member, { method: 'POST', url: '/api/v1/me/calendar-token' });
      expect(res.statusCode).toBe(200);
      return new URL(res.json<{ url: string }>().url).pathname;
    };
    const fetchFeed = (p: string) => app.inject({ method: 'GET', url: p });
    const first = await path();
    expect(await status()).toEqual({ active: true });
    expect((await fetchFeed(first)).statusCode).toBe(200);
    expect(icalJsEvents((await fetchFeed(first)).body)).toHaveLength(1);

    const second = await path();
    expect(second).not.toBe(first);
    const old = await fetchFeed(first);
    expect(old.statusCode).toBe(404);
    expect(old.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await fetchFeed(second)).statusCode).toBe(200);

    const revoked = await call(member, { method: 'DELETE', url: '/api/v1/me/calendar-token' });
    expect(revoked.statusCode).toBe(204);
    expect((await fetchFeed(second)).statusCode).toBe(404);
    expect(await status()).toEqual({ active: false });

    const third = await path();
    expect((await fetchFeed(third)).statusCode).toBe(200);
    expect(slugsOf((await fetchFeed(third)).body)).toEqual([event.slug]);

    for (const unknown of ['/api/v1/calendar/abcdefghijklmnopqrstuvwxyz234567.ics', '/api/v1/calendar/nope.ics']) {
      expect((await fetchFeed(unknown)).statusCode).toBe(404);
    }
  });

  it('asks for a sign-in (401) and refuses cross-site writes (403)', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/api/v1/me/calendar-token' });
      expect(res.statusCode, method).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const member = await signUp(app);
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await call(member, {
        method,
        url: '/api/v1/me/calendar-token',
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(res.statusCode, method).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    }
    expect((await call(member, { method: 'GET', url: '/api/v1/me/calendar-token' })).json()).toEqual({
      active: false,
    });
  });
});

function slugsOf(ics: string) {
  return icalJsEvents(ics).map((e) => String(e.component.getFirstPropertyValue('url')).split('/').pop());
}

describe('add-to-calendar links', () => {
  it('gives Google, Outlook and .ics links without the online link', async () => {
    const created = await newEvent({
      title: 'Budget hackathon: day 1 & 2',
      startsAt: '2027-03-27T23:30:00Z',
      endsAt: '2027-03-28T02:00:00Z',
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle 3',
      address: '5 rue de la Paix, Paris',
      description: 'Open to **everyone**.',
    });
    const res = await app.inject({ method: 'GET', url: `/api/v1/events/${created.slug}/calendar-links` });
    expect(res.statusCode, res.body).toBe(200);
    const links = res.json<{ google: string; outlook: string; ics: string }>();
    expect(links.ics).toBe(`${app.config.publicOrigin}/api/v1/events/${created.slug}/calendar.ics`);
    const url = `${app.config.publicOrigin}/events/${created.slug}`;

    expect(links.google).toMatch(
      /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=.+&dates=20270327T233000Z\/20270328T020000Z&/,
    );
    const google = new URL(links.google).searchParams;
    expect(google.get('text')).toBe('Budget hackathon: day 1 & 2');
    expect(google.get('details')).toBe(`Open to everyone.\n\n${url}`);
    expect(google.get('location')).toBe('Salle 3, 5 rue de la Paix, Paris (and online)');
    expect(google.get('ctz')).toBe('Europe/Paris');

    expect(links.outlook.startsWith('https://outlook.live.com/calendar/0/deeplink/compose?')).toBe(true);
    expect(links.outlook).not.toContain('+');
    const outlook = new URL(links.outlook).searchParams;
    expect(outlook.get('subject')).toBe('Budget hackathon: day 1 & 2');
    expect(Date.parse(outlook.get('startdt')!)).toBe(Date.parse('2027-03-27T23:30:00Z'));
    expect(Date.parse(outlook.get('enddt')!)).toBe(Date.parse('2027-03-28T02:00:00Z'));
    expect(outlook.get('body')).toBe(`Open to everyone.\n\n${url}`);
    expect(outlook.get('location')).toBe('Salle 3, 5 rue de la Paix, Paris (and online)');

    const row = await events.load(created.slug);
    expect(`${links.google} ${links.outlook}`).not.toContain(encodeURIComponent(row.onlineUrl!));
    expect(`${google.get('details')} ${outlook.get('body')}`).not.toContain(row.onlineUrl!);
    expect(calendarLinks(row, app.config.publicOrigin)).toEqual({ google: links.google, outlook: links.outlook });
  });

  it('answers 404 for an unknown event, for the links and the .ics', async () => {
    for (const path of ['calendar-links', 'calendar.ics']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/events/${uniqueSlug('missing')}/${path}` });
      expect(res.statusCode, path).toBe(404);
    }
  });

  it('documents the calendar routes in the OpenAPI description', async () => {
    const doc = (await app.inject('/api/docs/json')).json<{
      paths: Record<string, Record<string, { tags: string[] }>>;
    }>();
    for (const [path, method] of [
      ['/api/v1/events/{slug}/calendar.ics', 'get'],
      ['/api/v1/events/{slug}/calendar-links', 'get'],
      ['/api/v1/calendar/{token}.ics', 'get'],
      ['/api/v1/me/calendar-token', 'get'],
      ['/api/v1/me/calendar-token', 'post'],
      ['/api/v1/me/calendar-token', 'delete'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['events']);
    }
  });
});
