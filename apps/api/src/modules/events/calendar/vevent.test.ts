/**
 * Calendars, read back with two independent iCalendar parsers (ical.js, node-ical): the VCALENDAR
 * and VEVENT properties, escaping and folding, SEQUENCE and STATUS after edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { escapeText, foldLine, renderCalendar } from './ics.ts';
import {
  app,
  eventIcs,
  events,
  icalJsEvents,
  newEvent,
  nodeIcalEvents,
  organiser,
  organiserActor,
  ORIGIN,
  sample,
  startCalendarApp,
  stopCalendarApp,
  text,
} from './testing.ts';

beforeAll(startCalendarApp);
afterAll(stopCalendarApp);

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
});
