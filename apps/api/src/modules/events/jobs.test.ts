/**
 * The events module's emails through a real SMTP conversation (an in-process smtp-server), sent by
 * the Postgres job queue with two app instances (two nodes) polling it: day-before reminders,
 * seats from the waitlist, new times and places, cancellations and organisers' messages, each
 * sent once, in the member's language, and never again after a restart or a re-run job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDetail } from '@opsi/contracts/events';
import type { NotificationList } from '@opsi/contracts/follows';
import { createTestApp, signUp, signUpAs, uniqueSlug } from '../../testing.ts';
import { startMailCatcher } from '../../testing-mail.ts';
import { EVENT_JOB_KINDS } from './notices.ts';

type Member = Awaited<ReturnType<typeof signUp>>;

const DAY = 24 * 60 * 60 * 1000;
const ORIGIN = 'https://network.example';
let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
const dirs: string[] = [];
/** The two nodes: both poll the one queue. */
let nodes: FastifyInstance[] = [];
let organiser: Member;

// ---- the two nodes and the mail server ----

async function startNode(): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'opsi-event-jobs-'));
  dirs.push(dir);
  return createTestApp({
    JOBS: 'true',
    JOBS_KINDS: EVENT_JOB_KINDS.join(','),
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    DATA_DIR: dir,
    PUBLIC_ORIGIN: ORIGIN,
  });
}

beforeAll(async () => {
  inbox = await startMailCatcher();
  nodes = [await startNode(), await startNode()];
  organiser = await signUpAs(nodes[0]!, 'organiser');
});

afterAll(async () => {
  for (const node of nodes) await node.close();
  await inbox.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ----

function call(app: FastifyInstance, who: Member | null, options: InjectOptions) {
  return app.inject({ ...options, headers: { ...(who ? { cookie: who.cookie } : {}), ...options.headers } });
}

/** Until no job of ours is due: both nodes drain the queue (and write notifications) together. */
async function settle(apps: FastifyInstance[] = nodes): Promise<void> {
  const db = apps[0]!.database.kysely;
  for (let round = 0; round < 50; round += 1) {
    await Promise.all(apps.map((a) => a.activities.poke()));
    await Promise.all(apps.map((a) => a.notifier.poke()));
    await Promise.all(apps.map((a) => a.jobs.poke()));
    const due = await db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', [...EVENT_JOB_KINDS])
      .where('done_at', 'is', null)
      .where('run_at', '<=', new Date())
      .execute();
    if (!due.length) {
      await Promise.all(apps.map((a) => a.notifier.poke()));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job queue did not settle');
}

const address = (m: Member) => `${m.handle}@example.org`;
const mailsTo = (m: Member) => inbox.received.filter((r) => r.to.includes(address(m)));

async function newEvent(
  overrides: Partial<{
    startsAt: Date;
    capacity: number | null;
    mode: 'in_person' | 'online' | 'hybrid';
    venue: string;
  }> = {},
): Promise<EventDetail> {
  const starts = overrides.startsAt ?? new Date(Date.now() + 30 * DAY);
  const mode = overrides.mode ?? 'hybrid';
  const res = await call(nodes[0]!, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: `Open budgets forum ${uniqueSlug('t')}`,
      slug: uniqueSlug('ev'),
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode,
      ...(mode === 'online' ? {} : { venue: overrides.venue ?? 'Hôtel de Ville', address: '1 place de Paris' }),
      ...(mode === 'in_person' ? {} : { onlineUrl: 'https://meet.example/open-budgets' }),
      capacity: overrides.capacity === undefined ? null : overrides.capacity,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<EventDetail>();
}

async function answer(m: Member, slug: string, status: 'going' | 'interested' | 'declined') {
  const res = await call(nodes[0]!, m, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ status: string; ticketCode: string | null }>();
}

async function members(n: number): Promise<Member[]> {
  const out: Member[] = [];
  for (let i = 0; i < n; i += 1) out.push(await signUp(nodes[0]!));
  return out;
}

async function notifications(app: FastifyInstance, m: Member, kind: string) {
  const list = (
    await call(app, m, { method: 'GET', url: '/api/v1/me/notifications?limit=100' })
  ).json<NotificationList>();
  return list.items.filter((i) => i.kind === kind);
}

/** Makes this event's day-before reminder job due now, as if the day before had come. */
async function dayBefore(app: FastifyInstance, eventSlug: string) {
  const event = await app.database.kysely
    .selectFrom('events')
    .select(['id', 'starts_at'])
    .where('slug', '=', eventSlug)
    .executeTakeFirstOrThrow();
  const key = `${event.id}:${event.starts_at.toISOString()}`;
  const job = await app.database.kysely
    .selectFrom('jobs')
    .select(['run_at', 'done_at'])
    .where('kind', '=', 'event.reminders')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  // Scheduled for 24 hours before the start, and not run yet.
  expect(job.run_at.getTime()).toBe(event.starts_at.getTime() - DAY);
  expect(job.done_at).toBeNull();
  await app.database.kysely
    .updateTable('jobs')
    .set({ run_at: new Date() })
    .where('kind', '=', 'event.reminders')
    .where('key', '=', key)
    .execute();
  return event.id;
}

// ---- the tests ----

describe('day-before reminders', () => {
  it('emails each member going exactly once, across two nodes and after a restart, and nobody else', async () => {
    const e = await newEvent({ capacity: 2 });
    const [going1, going2, waitlisted, interested, declined] = await members(5);
    for (const m of [going1!, going2!, waitlisted!]) await answer(m, e.slug, 'going');
    await answer(interested!, e.slug, 'interested');
    await answer(declined!, e.slug, 'declined');
    await settle();
    const before = inbox.received.length;

    const eventId = await dayBefore(nodes[0]!, e.slug);
    await Promise.all(nodes.map((n) => n.jobs.poke()));
    await settle();

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
    nodes = [nodes[0]!, await startNode()];
    await nodes[0]!.database.kysely
      .updateTable('jobs')
      .set({ done_at: null, locked_until: null, run_at: new Date() })
      .where('kind', 'in', ['event.reminders', 'email.event_reminder'])
      .where('key', 'like', `${eventId}:%`)
      .execute();
    await Promise.all(nodes.map((n) => n.jobs.poke()));
    await settle();
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
    await settle();
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
    await settle();
    expect(mailsTo(m!).filter((r) => r.subject.startsWith('Reminder:'))).toEqual([]);

    // The new time's job (24 hours before the new start) sends it, with the new date.
    await dayBefore(nodes[0]!, e.slug);
    await settle();
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
    await settle();
    expect(mailsTo(n!).map((r) => r.subject)).toEqual([`“${c.title}” was cancelled`]);
  });
});

describe('a seat from the waitlist', () => {
  it('sends the promoted member exactly one email and one notification', async () => {
    const e = await newEvent({ capacity: 1 });
    const [first, second, third] = await members(3);
    await answer(first!, e.slug, 'going');
    expect((await answer(second!, e.slug, 'going')).status).toBe('waitlisted');
    expect((await answer(third!, e.slug, 'going')).status).toBe('waitlisted');
    const left = await call(nodes[0]!, first!, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` });
    expect(left.statusCode).toBe(204);
    await settle();

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
    await settle();
    const patch = async (payload: object) => {
      const res = await call(nodes[0]!, organiser, { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload });
      expect(res.statusCode, res.body).toBe(200);
      await settle();
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
    await settle();
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
    await settle();
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
    await settle();
    const res = await call(nodes[0]!, organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/messages`,
      payload: { subject: 'Doors open at 8:30', body: 'Please bring **photo ID** <script>x</script>.' },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ recipients: 2 });
    await settle();
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
    await settle();
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
    await settle();
    const reminder = mailsTo(french!).find((r) => r.subject.startsWith('Rappel'));
    expect(reminder?.subject).toBe(`Rappel : « ${e.title} »`);
    expect(reminder!.text).toContain(`${ORIGIN}/fr/events/${e.slug}`);

    await call(nodes[0]!, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    await settle();
    const cancelled = mailsTo(french!).find((r) => r.subject.includes('annulé'));
    expect(cancelled?.subject).toBe(`« ${e.title} » est annulé`);
    expect(cancelled!.text).toContain('Les organisateurs ont annulé');
    expect(mailsTo(french!)).toHaveLength(3);
  });
});
