/**
 * The emails that confirm a member's own answer (going: the ticket and the event as an .ics
 * attachment; waitlisted: their place in line), the organiser's Reply-To on every event email,
 * and the "new time or place" email saying what changed from what to what. Through a real SMTP
 * conversation, parsed part by part (notices/testing.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../../../testing.ts';
import { jobsDone } from '../../../testing-until.ts';
import { EVENT_JOB_KINDS } from './service.ts';
import {
  address,
  answer,
  allMailsTo,
  members,
  newEvent,
  nodes,
  organiser,
  ORIGIN,
  startNodes,
  stopNodes,
} from './testing.ts';

beforeAll(startNodes);
afterAll(stopNodes);

/** The properties of the one VEVENT of an iCalendar text, unfolded: name (with parameters) → value. */
function vevent(ics: string): Map<string, string> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const from = lines.indexOf('BEGIN:VEVENT');
  const to = lines.indexOf('END:VEVENT');
  expect(from).toBeGreaterThan(-1);
  expect(to).toBeGreaterThan(from);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-2)).toBe('END:VCALENDAR');
  return new Map(
    lines.slice(from + 1, to).map((l) => {
      // The first colon outside a quoted parameter value.
      let quoted = false;
      let at = 0;
      while (at < l.length && (quoted || l[at] !== ':')) {
        if (l[at] === '"') quoted = !quoted;
        at += 1;
      }
      return [l.slice(0, at), l.slice(at + 1)] as [string, string];
    }),
  );
}

async function eventId(slug: string): Promise<string> {
  const row = await nodes[0]!.database.kysely
    .selectFrom('events')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('saying going', () => {
  it('sends one confirmation with the ticket code, the organiser as Reply-To and the event as a parseable .ics', async () => {
    const e = await newEvent({ startsAt: new Date('2031-03-14T08:30:00Z') });
    const [guest] = await members(1);
    const answered = await answer(guest!, e.slug, 'going');
    expect(answered.ticketCode).toMatch(/^[A-Z0-9]{10}$/);
    // Saying going again changes nothing: no second email.
    await answer(guest!, e.slug, 'going');
    await jobsDone(nodes, EVENT_JOB_KINDS);

    const mails = allMailsTo(guest!);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe(`You are going to “${e.title}”`);
    expect(mail.headers.get('reply-to')).toBe(address(organiser));
    expect(mail.text).toContain(`Your ticket code: ${answered.ticketCode}`);
    expect(mail.text).toContain(`${ORIGIN}/events/${e.slug}/ticket (code ${answered.ticketCode})`);
    expect(mail.html).toContain(answered.ticketCode);
    expect(mail.headers.get('list-unsubscribe')).toMatch(/kind=event_reminder>$/);

    expect(mail.attachments).toHaveLength(1);
    const [ics] = mail.attachments;
    expect(ics!.filename).toBe(`${e.slug}.ics`);
    expect(ics!.contentType).toMatch(/^text\/calendar/);
    const props = vevent(ics!.content);
    expect(props.get('UID')).toBe(`event-${await eventId(e.slug)}@network.example`);
    // 08:30 UTC on 14 March 2031 is 09:30 in Paris (winter time), written in the event's zone.
    expect(props.get('DTSTART;TZID=Europe/Paris')).toBe('20310314T093000');
    expect(props.get('DTEND;TZID=Europe/Paris')).toBe('20310314T123000');
    expect(props.get('SUMMARY')).toBe(e.title);
    expect(props.get('CONFERENCE;VALUE=URI;FEATURE=VIDEO')).toBe('https://meet.example/open-budgets');
  });

  it('tells a waitlisted member their position, without a ticket or an .ics', async () => {
    const e = await newEvent({ capacity: 1 });
    const [first, second, third] = await members(3);
    await answer(first!, e.slug, 'going');
    expect((await answer(second!, e.slug, 'going')).status).toBe('waitlisted');
    expect((await answer(third!, e.slug, 'going')).status).toBe('waitlisted');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    for (const [who, position] of [
      [second!, 1],
      [third!, 2],
    ] as const) {
      const mails = allMailsTo(who);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`You are on the waitlist for “${e.title}” (position ${position})`);
      expect(mails[0]!.text).toContain(`you are on the waitlist, at position ${position}`);
      expect(mails[0]!.text).not.toMatch(/ticket code/i);
      expect(mails[0]!.attachments).toEqual([]);
      expect(mails[0]!.headers.get('reply-to')).toBe(address(organiser));
    }
  });

  it('is in French for a French member', async () => {
    const e = await newEvent();
    const [guest] = await members(1);
    await nodes[0]!.database.kysely
      .updateTable('users')
      .set({ locale: 'fr' })
      .where('handle', '=', guest!.handle)
      .execute();
    const { ticketCode } = await answer(guest!, e.slug, 'going');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const [mail] = allMailsTo(guest!);
    expect(mail!.subject).toBe(`Vous participez à « ${e.title} »`);
    expect(mail!.text).toContain(`Votre code de billet : ${ticketCode}`);
    expect(mail!.attachments).toHaveLength(1);
  });

  it('is not sent to an unverified address, nor to a member who turned event emails off', async () => {
    const e = await newEvent();
    const unverified = await signUp(nodes[0]!, { unverified: true });
    const [quiet] = await members(1);
    const res = await call(nodes[0]!, quiet!, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'event_reminder', channel: 'in_app' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    await answer(unverified, e.slug, 'going');
    await answer(quiet!, e.slug, 'going');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    expect(allMailsTo(unverified)).toEqual([]);
    expect(allMailsTo(quiet!)).toEqual([]);
  });
});

describe('a new time or place', () => {
  it('says what changed from what to what, with the organiser as Reply-To', async () => {
    const e = await newEvent({ startsAt: new Date('2031-05-20T07:00:00Z'), venue: 'Hôtel de Ville' });
    const [guest] = await members(1);
    await answer(guest!, e.slug, 'going');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const before = allMailsTo(guest!).length;
    const res = await call(nodes[0]!, organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${e.slug}`,
      payload: {
        startsAt: '2031-05-21T12:00:00Z',
        endsAt: '2031-05-21T14:00:00Z',
        venue: 'Salle des fêtes',
        address: '3 rue Neuve',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const [mail] = allMailsTo(guest!).slice(before);
    expect(mail!.subject).toBe(`New time and place for “${e.title}”`);
    expect(mail!.headers.get('reply-to')).toBe(address(organiser));
    expect(mail!.text).toContain(
      'Time: Tuesday, 20 May 2031, 09:00–12:00 (Central European Summer Time, Europe/Paris) → Wednesday, 21 May 2031, 14:00–16:00 (Central European Summer Time, Europe/Paris)',
    );
    expect(mail!.text).toContain(
      'Place: Hôtel de Ville, 1 place de Paris (and online) → Salle des fêtes, 3 rue Neuve (and online)',
    );
  });
});

describe('an organiser’s message', () => {
  it('has the sending organiser as Reply-To', async () => {
    const e = await newEvent();
    const [guest] = await members(1);
    await answer(guest!, e.slug, 'going');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const before = allMailsTo(guest!).length;
    const res = await call(nodes[0]!, organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/messages`,
      payload: { subject: 'Doors at nine', body: 'Bring your badge.' },
    });
    expect(res.statusCode).toBe(202);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const [mail] = allMailsTo(guest!).slice(before);
    expect(mail!.subject).toBe(`“${e.title}”: Doors at nine`);
    expect(mail!.headers.get('reply-to')).toBe(address(organiser));
  });
});
