/**
 * The day-before reminders through a real SMTP conversation, sent by the Postgres job queue with
 * two nodes polling it: each member going emailed once, across nodes and after a restart; moved
 * and cancelled events (notices/testing.ts has the nodes and the mail server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../testing.ts';
import { jobsDone } from '../../../testing-until.ts';
import { EVENT_JOB_KINDS } from './service.ts';
import {
  answer,
  DAY,
  dayBefore,
  inbox,
  mailsTo,
  members,
  newEvent,
  nodes,
  notifications,
  organiser,
  ORIGIN,
  startNode,
  startNodes,
  stopNodes,
} from './testing.ts';

beforeAll(startNodes);
afterAll(stopNodes);

describe('day-before reminders', () => {
  it('emails each member going exactly once, across two nodes and after a restart, and nobody else', async () => {
    const e = await newEvent({ capacity: 2 });
    const [going1, going2, waitlisted, interested, declined] = await members(5);
    for (const m of [going1!, going2!, waitlisted!]) await answer(m, e.slug, 'going');
    await answer(interested!, e.slug, 'interested');
    await answer(declined!, e.slug, 'declined');
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const before = inbox.received.length;

    const eventId = await dayBefore(nodes[0]!, e.slug);
    await Promise.all(nodes.map((n) => n.jobs.poke()));
    await jobsDone(nodes, EVENT_JOB_KINDS);

    for (const m of [going1!, going2!]) {
      const mails = mailsTo(m).filter((r) => r.subject.startsWith('Reminder:'));
      expect(mails, m.handle).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toBe(`Reminder: “${e.title}”`);
      expect(mail.text).toContain(`Hello Member ${m.handle},`);
      expect(mail.text).toContain(`${ORIGIN}/events/${e.slug}`);
      expect(mail.text).toContain(`${ORIGIN}/events/${e.slug}/ticket`);
      expect(mail.text).toContain('Europe/Paris');
      expect(mail.text).toContain('Hôtel de Ville, 1 place de Paris (and online)');
      // Going: the online link is theirs.
      expect(mail.text).toContain('https://meet.example/open-budgets');
      expect(mail.html).toContain(`<a href="${ORIGIN}/events/${e.slug}/ticket">`);
      expect(mail.html).toContain(e.title);
      expect(mail.headers.get('list-unsubscribe')).toMatch(
        /\/api\/v1\/unsubscribe\/[a-z2-7]{32}\?kind=event_reminder>$/,
      );
      expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(await notifications(nodes[1]!, m, 'event_reminder')).toHaveLength(1);
    }
    for (const m of [waitlisted!, interested!, declined!]) {
      expect(
        mailsTo(m).filter((r) => r.subject.startsWith('Reminder:')),
        m.handle,
      ).toEqual([]);
      expect(await notifications(nodes[0]!, m, 'event_reminder')).toEqual([]);
    }
    expect(inbox.received.length - before).toBe(2);

    // A restart: one node goes, a new one comes up on the same database. And a crash after sending
    // but before the jobs were marked done: they run again.
    await nodes[1]!.close();
    nodes[1] = await startNode();
    await nodes[0]!.database.kysely
      .updateTable('jobs')
      .set({ done_at: null, locked_until: null, run_at: new Date() })
      .where('kind', 'in', ['event.reminders', 'email.event_reminder'])
      .where('key', 'like', `${eventId}:%`)
      .execute();
    await Promise.all(nodes.map((n) => n.jobs.poke()));
    await jobsDone(nodes, EVENT_JOB_KINDS);
    expect(inbox.received.length - before).toBe(2);
    for (const m of [going1!, going2!]) {
      expect(mailsTo(m).filter((r) => r.subject.startsWith('Reminder:'))).toHaveLength(1);
      expect(await notifications(nodes[1]!, m, 'event_reminder')).toHaveLength(1);
    }
  });

  it('follows the event when it moves, and never fires for a cancelled one', async () => {
    const e = await newEvent();
    const [m] = await members(1);
    await answer(m!, e.slug, 'going');
    const oldStart = new Date(e.startsAt);
    const newStart = new Date(oldStart.getTime() + 7 * DAY);
    const moved = await call(nodes[0]!, organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${e.slug}`,
      payload: { startsAt: newStart.toISOString(), endsAt: new Date(newStart.getTime() + 3 * 3600_000).toISOString() },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const jobs = await nodes[0]!.database.kysely
      .selectFrom('jobs')
      .select(['key', 'run_at'])
      .where('kind', '=', 'event.reminders')
      .where('key', 'like', `%:${oldStart.toISOString()}`)
      .execute();
    expect(jobs).toHaveLength(1);

    // The old time's job comes due: the event no longer starts then, so nothing is sent.
    await nodes[0]!.database.kysely
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where('kind', '=', 'event.reminders')
      .where('key', '=', jobs[0]!.key)
      .execute();
    await jobsDone(nodes, EVENT_JOB_KINDS);
    expect(mailsTo(m!).filter((r) => r.subject.startsWith('Reminder:'))).toEqual([]);

    // The new time's job (24 hours before the new start) sends it, with the new date.
    await dayBefore(nodes[0]!, e.slug);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    const reminders = mailsTo(m!).filter((r) => r.subject.startsWith('Reminder:'));
    expect(reminders).toHaveLength(1);
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long' }).format(
      newStart,
    );
    expect(reminders[0]!.text).toContain(day);

    // A cancelled event: its reminder finds it cancelled and sends nothing.
    const c = await newEvent();
    const [n] = await members(1);
    await answer(n!, c.slug, 'going');
    expect(
      (await call(nodes[0]!, organiser, { method: 'POST', url: `/api/v1/events/${c.slug}/cancel` })).statusCode,
    ).toBe(200);
    await dayBefore(nodes[0]!, c.slug);
    await jobsDone(nodes, EVENT_JOB_KINDS);
    expect(mailsTo(n!).map((r) => r.subject)).toEqual([`“${c.title}” was cancelled`]);
  });
});
