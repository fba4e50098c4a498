/**
 * The events module's other emails through a real SMTP conversation, sent by the Postgres job
 * queue with two nodes polling it: seats from the waitlist, new times and places, cancellations
 * and organisers' messages, each sent once, in the member's language (notices/testing.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../testing.ts';
import { jobsDone } from '../../../testing-until.ts';
import { EVENT_JOB_KINDS } from './service.ts';
import type { EventDetail } from '@opsi/contracts/events';
import {
  answer,
  dayBefore,
  mailsTo,
  members,
  newEvent,
  nodes,
  notifications,
  organiser,
  ORIGIN,
  startNodes,
  stopNodes,
} from './testing.ts';

beforeAll(startNodes);
afterAll(stopNodes);

describe('a seat from the waitlist', () => {
  it('sends the promoted member exactly one email and one notification', async () => {
    const e = await newEvent({ capacity: 1 });
    const [first, second, third] = await members(3);
    await answer(first!, e.slug, 'going');
    expect((await answer(second!, e.slug, 'going')).status).toBe('waitlisted');
    expect((await answer(third!, e.slug, 'going')).status).toBe('waitlisted');
    const left = await call(nodes[0]!, first!, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` });
    expect(left.statusCode).toBe(204);
    await jobsDone(nodes, EVENT_JOB_KINDS);

    const mails = mailsTo(second!);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`A seat opened: you are going to “${e.title}”`);
    const ticket = await call(nodes[0]!, second!, { method: 'GET', url: `/api/v1/events/${e.slug}` });
    const code = ticket.json<EventDetail>().myRsvp?.ticketCode;
    expect(code).toMatch(/^[A-Z0-9]{10}$/);
    expect(mails[0]!.text).toContain(`${ORIGIN}/events/${e.slug}/ticket (code ${code})`);
    expect(mails[0]!.text).toContain('https://meet.example/open-budgets');
    expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/kind=waitlist_promoted>$/);
    expect(await notifications(nodes[1]!, second!, 'waitlist_promoted')).toHaveLength(1);
    // One seat, one person: the next in line and the one who left hear nothing.
    expect(mailsTo(third!)).toEqual([]);
    expect(mailsTo(first!)).toEqual([]);
    expect(await notifications(nodes[0]!, third!, 'waitlist_promoted')).toEqual([]);
  });
});

describe('editing an event', () => {
  it('emails each attendee once for a new time or place, and nobody for a new description', async () => {
    const e = await newEvent({ capacity: 1 });
    const [going, waitlisted, interested] = await members(3);
    await answer(going!, e.slug, 'going');
    await answer(waitlisted!, e.slug, 'going');
    await answer(interested!, e.slug, 'interested');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const patch = async (payload: object) => {
      const res = await call(nodes[0]!, organiser, { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload });
      expect(res.statusCode, res.body).toBe(200);
      await jobsDone(nodes, EVENT_JOB_KINDS);
    };

    await patch({ description: 'Bring your **budget** questions.' });
    expect([...mailsTo(going!), ...mailsTo(waitlisted!), ...mailsTo(interested!)]).toEqual([]);

    await patch({ venue: 'Salle des fêtes' });
    for (const m of [going!, waitlisted!]) {
      const mails = mailsTo(m);
      expect(mails.map((r) => r.subject)).toEqual([`New place for “${e.title}”`]);
      expect(mails[0]!.text).toContain('Salle des fêtes, 1 place de Paris');
      expect(mails[0]!.text).toContain(`${ORIGIN}/events/${e.slug}`);
    }
    expect(mailsTo(going!)[0]!.text).toContain('https://meet.example/open-budgets');
    expect(mailsTo(going!)[0]!.text).toContain('You are still going');
    // Not going: no online link, no ticket.
    expect(mailsTo(waitlisted!)[0]!.text).not.toContain('https://meet.example/open-budgets');
    expect(mailsTo(waitlisted!)[0]!.text).not.toContain('/ticket');
    expect(mailsTo(waitlisted!)[0]!.text).toContain('You are on the waitlist (position 1).');

    const start = new Date(new Date(e.startsAt).getTime() + 2 * 60 * 60 * 1000);
    await patch({ startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() });
    for (const m of [going!, waitlisted!]) {
      const mails = mailsTo(m);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.subject).toBe(`New time for “${e.title}”`);
      const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeStyle: 'short' }).format(start);
      expect(mails[1]!.text).toContain(time);
    }
    expect(mailsTo(interested!)).toEqual([]);
    expect(await notifications(nodes[1]!, going!, 'event_changed')).toHaveLength(1);
  });

  it('respects each member’s choice for the kind: in-app only, or off', async () => {
    const e = await newEvent();
    const [inApp, off, defaults] = await members(3);
    for (const [m, channel] of [
      [inApp!, 'in_app'],
      [off!, 'off'],
    ] as const) {
      const res = await call(nodes[0]!, m, {
        method: 'PATCH',
        url: '/api/v1/me/notification-prefs',
        payload: { kinds: [{ kind: 'event_changed', channel }] },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const prefs = await call(nodes[0]!, defaults!, { method: 'GET', url: '/api/v1/me/notification-prefs' });
    const kinds = prefs.json<{ kinds: { kind: string; channel: string }[] }>().kinds;
    expect(kinds.find((k) => k.kind === 'event_changed')?.channel).toBe('email');
    expect(kinds.find((k) => k.kind === 'reply')?.channel).toBe('in_app');
    for (const m of [inApp!, off!, defaults!]) await answer(m, e.slug, 'going');
    const res = await call(nodes[0]!, organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${e.slug}`,
      payload: { mode: 'online' },
    });
    expect(res.statusCode, res.body).toBe(200);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    expect(mailsTo(defaults!).map((r) => r.subject)).toEqual([`New place for “${e.title}”`]);
    expect(mailsTo(defaults!)[0]!.text).toContain('Where: Online');
    expect(mailsTo(inApp!)).toEqual([]);
    expect(mailsTo(off!)).toEqual([]);
    expect(await notifications(nodes[0]!, inApp!, 'event_changed')).toHaveLength(1);
    expect(await notifications(nodes[0]!, off!, 'event_changed')).toEqual([]);
  });
});

describe('cancelling an event', () => {
  it('emails everyone who answered going, waitlisted or interested, once', async () => {
    const e = await newEvent({ capacity: 1 });
    const [going, waitlisted, interested, declined, stranger] = await members(5);
    await answer(going!, e.slug, 'going');
    await answer(waitlisted!, e.slug, 'going');
    await answer(interested!, e.slug, 'interested');
    await answer(declined!, e.slug, 'declined');
    const res = await call(nodes[0]!, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    expect(res.statusCode, res.body).toBe(200);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    for (const m of [going!, waitlisted!, interested!]) {
      const mails = mailsTo(m);
      expect(mails, m.handle).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`“${e.title}” was cancelled`);
      expect(mails[0]!.text).toContain(`${ORIGIN}/events/${e.slug}`);
      expect(mails[0]!.text).toContain('Europe/Paris');
      // Cancelled: no online link and no ticket, even for those who were going.
      expect(mails[0]!.text).not.toContain('https://meet.example');
      expect(mails[0]!.text).not.toContain('/ticket');
      expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/kind=event_cancelled>$/);
      expect(await notifications(nodes[1]!, m, 'event_cancelled')).toHaveLength(1);
    }
    expect(mailsTo(declined!)).toEqual([]);
    expect(mailsTo(stranger!)).toEqual([]);
    expect(mailsTo(organiser)).toEqual([]);
  });
});

describe('a message from the organisers', () => {
  it('reaches every member going once, and nobody else', async () => {
    const e = await newEvent({ capacity: 2 });
    const [g1, g2, waitlisted, interested] = await members(4);
    await answer(g1!, e.slug, 'going');
    await answer(g2!, e.slug, 'going');
    await answer(waitlisted!, e.slug, 'going');
    await answer(interested!, e.slug, 'interested');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const res = await call(nodes[0]!, organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/messages`,
      payload: { subject: 'Doors open at 8:30', body: 'Please bring **photo ID** <script>x</script>.' },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ recipients: 2 });
    await jobsDone(nodes, EVENT_JOB_KINDS);
    for (const m of [g1!, g2!]) {
      const mails = mailsTo(m);
      expect(mails, m.handle).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`“${e.title}”: Doors open at 8:30`);
      expect(mails[0]!.text).toContain(`A message from Member ${organiser.handle}, organiser of “${e.title}”`);
      expect(mails[0]!.text).toContain('Please bring **photo ID** <script>x</script>.');
      expect(mails[0]!.text).toContain(`${ORIGIN}/events/${e.slug}`);
      expect(mails[0]!.html).toContain('<strong>photo ID</strong>');
      expect(mails[0]!.html).not.toContain('<script>');
      expect(mails[0]!.headers.has('list-unsubscribe')).toBe(false);
    }
    expect(mailsTo(waitlisted!)).toEqual([]);
    expect(mailsTo(interested!)).toEqual([]);
  });
});

describe('in the member’s language', () => {
  it('writes to a French-speaking member in French, with French links', async () => {
    const e = await newEvent({ capacity: 1 });
    const [first, french] = await members(2);
    await nodes[0]!.database.kysely
      .updateTable('users')
      .set({ locale: 'fr' })
      .where('id', '=', french!.user.id)
      .execute();
    await answer(first!, e.slug, 'going');
    await answer(french!, e.slug, 'going');
    await call(nodes[0]!, first!, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` });
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const [promoted] = mailsTo(french!);
    expect(promoted?.subject).toBe(`Une place s’est libérée : vous participez à « ${e.title} »`);
    expect(promoted!.text).toContain(`Bonjour Member ${french!.handle},`);
    expect(promoted!.text).toContain(`${ORIGIN}/fr/events/${e.slug}/ticket`);
    expect(promoted!.text).toContain('Quand : ');
    const zone = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', timeZoneName: 'long' })
      .formatToParts(new Date(e.startsAt))
      .find((p) => p.type === 'timeZoneName')!.value;
    expect(promoted!.text).toContain(`(${zone}, Europe/Paris)`);
    expect(promoted!.html).toContain('<html lang="fr">');
    expect(promoted!.text).toContain('/fr/unsubscribe/');

    await dayBefore(nodes[0]!, e.slug);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const reminder = mailsTo(french!).find((r) => r.subject.startsWith('Rappel'));
    expect(reminder?.subject).toBe(`Rappel : « ${e.title} »`);
    expect(reminder!.text).toContain(`${ORIGIN}/fr/events/${e.slug}`);

    await call(nodes[0]!, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const cancelled = mailsTo(french!).find((r) => r.subject.includes('annulé'));
    expect(cancelled?.subject).toBe(`« ${e.title} » est annulé`);
    expect(cancelled!.text).toContain('Les organisateurs ont annulé');
    expect(mailsTo(french!)).toHaveLength(3);
  });
});
