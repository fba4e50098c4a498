/**
 * Live events over real websockets: the event room hears counts and changes, never the online
 * link or who is coming; a promotion reaches the promoted member's own sockets only. The public
 * list and calendar never carry the link either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import { call, createTestApp, listen, signUp, signUpAs, uniqueSlug, type Member } from '../../testing.ts';
import { ack, closeSockets, connectSocket, record } from '../../testing-sockets.ts';

let app: FastifyInstance;
let origin: string;
const SECRET = 'https://meet.example.org/very-secret-room';
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  origin = await listen(app);
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

describe('live events', () => {
  it('tell the room counts and changes only, and a promotion to the promoted member alone', async () => {
    const [organiser, first, second, bystander] = await Promise.all([
      signUpAs(app, 'organiser'),
      signUp(app),
      signUp(app),
      signUp(app),
    ]);
    const starts = new Date(Date.now() + 10 * DAY);
    const created = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        title: 'Live room check',
        slug: uniqueSlug('live'),
        description: 'Counts only.',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'online',
        onlineUrl: SECRET,
        capacity: 1,
        countries: ['FR'],
        themes: ['digital-government'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { slug } = created.json<EventDetail>();

    const anonymous = await connectSocket(origin);
    const watcher = await connectSocket(origin, { who: bystander });
    const secondOwn = await connectSocket(origin, { who: second });
    for (const s of [anonymous, watcher]) {
      expect(await ack(s, 'event:watch', { slug })).toMatchObject({ ok: true });
    }
    const heardByAnonymous = record(anonymous);
    const heardByBystander = record(watcher);
    const heardBySecond = record(secondOwn);

    const rsvp = (who: Member, status: string) =>
      call(app, who, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
    expect((await rsvp(first, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(second, 'going')).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await heardByAnonymous.next('rsvp:changed', (p) => p.waitlistCount === 1);
    // The first withdraws: the second is promoted, told on their own socket only.
    expect((await call(app, first, { method: 'DELETE', url: `/api/v1/events/${slug}/rsvp` })).statusCode).toBe(204);
    expect(await heardBySecond.next('rsvp:updated')).toEqual({ eventSlug: slug, status: 'going' });
    await heardByAnonymous.next('rsvp:changed', (p) => p.goingCount === 1 && p.waitlistCount === 0);
    // The organiser moves it, then cancels it: the room hears both.
    const moved = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${slug}`,
      payload: {
        startsAt: new Date(starts.getTime() + DAY).toISOString(),
        endsAt: new Date(starts.getTime() + DAY + 3_600_000).toISOString(),
      },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await call(app, organiser, { method: 'POST', url: `/api/v1/events/${slug}/cancel` })).statusCode).toBe(200);
    await heardByBystander.next('event:updated', (p) => p.status === 'cancelled');
    // A marker after everything: the promoted member declines (still allowed once cancelled), and
    // the room hears the new counts after whatever the earlier changes sent it (one outbox, in order).
    expect((await rsvp(second, 'declined')).statusCode).toBe(200);
    const marker = (p: { goingCount: number }) => p.goingCount === 0;
    await Promise.all([heardByAnonymous.next('rsvp:changed', marker), heardByBystander.next('rsvp:changed', marker)]);

    for (const [who, { heard }] of [
      ['anonymous', heardByAnonymous],
      ['bystander', heardByBystander],
    ] as const) {
      const text = JSON.stringify(heard);
      expect(text, who).not.toContain('very-secret-room');
      expect(text, who).not.toContain(first.handle);
      expect(text, who).not.toContain(second.handle);
      expect(
        heard.filter((e) => e.event === 'rsvp:updated'),
        who,
      ).toEqual([]);
      for (const e of heard.filter((x) => x.event === 'rsvp:changed')) {
        expect(Object.keys(e.payload as object).sort(), who).toEqual(
          ['capacity', 'eventSlug', 'goingCount', 'interestedCount', 'waitlistCount'].sort(),
        );
      }
    }
    expect(JSON.stringify(heardBySecond.heard)).not.toContain('very-secret-room');

    // Lists and calendars are public too: the link is never in them.
    for (const who of [null, bystander]) {
      for (const url of ['/api/v1/events?limit=100', `/api/v1/events/${slug}`, `/api/v1/events/${slug}/calendar.ics`]) {
        const res = await call(app, who, { method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body, `${url} for ${who ? 'a member' : 'anonymous'}`).not.toContain('very-secret-room');
      }
    }
  });
});

describe('the door, live', () => {
  it('tells every organiser device at the door who was checked in, and no one else may watch it', async () => {
    const [organiser, otherOrganiser, guest, late, bystander, admin] = await Promise.all([
      signUpAs(app, 'organiser'),
      signUpAs(app, 'organiser'),
      signUp(app),
      signUp(app),
      signUp(app),
      signUpAs(app, 'admin'),
    ]);
    const starts = new Date(Date.now() + 5 * DAY);
    const created = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        title: 'Door check',
        slug: uniqueSlug('door'),
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'in_person',
        venue: 'Town hall',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { slug } = created.json<EventDetail>();
    const tickets: Record<string, string> = {};
    for (const who of [guest, late]) {
      const res = await call(app, who, {
        method: 'PUT',
        url: `/api/v1/events/${slug}/rsvp`,
        payload: { status: 'going' },
      });
      tickets[who.handle] = res.json<{ ticketCode: string }>().ticketCode;
    }

    // Who may watch the door: its organisers and admins; not members, other organisers or anonymous sockets.
    const anonymous = await connectSocket(origin);
    const member = await connectSocket(origin, { who: bystander });
    const stranger = await connectSocket(origin, { who: otherOrganiser });
    expect(await ack(anonymous, 'checkin:watch', { slug })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await ack(member, 'checkin:watch', { slug })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ack(stranger, 'checkin:watch', { slug })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ack(member, 'checkin:watch', { slug: 'no-such-event' })).toMatchObject({ ok: false });

    const deviceA = await connectSocket(origin, { who: organiser });
    const deviceB = await connectSocket(origin, { who: organiser });
    const adminDevice = await connectSocket(origin, { who: admin });
    for (const s of [deviceA, deviceB, adminDevice]) {
      expect(await ack(s, 'checkin:watch', { slug })).toMatchObject({ ok: true });
    }
    const heardByB = record(deviceB);
    const heardByAdmin = record(adminDevice);
    const heardByMember = record(member);

    // Device A checks the guest in by code: B and the admin hear it, with the counts.
    const byCode = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${slug}/checkins`,
      payload: { code: tickets[guest.handle] },
    });
    expect(byCode.statusCode, byCode.body).toBe(200);
    const heard = await heardByB.next('checkin:changed', (p) => p.handle === guest.handle);
    expect(heard).toEqual({
      eventSlug: slug,
      handle: guest.handle,
      displayName: `Member ${guest.handle}`,
      checkedInAt: byCode.json<{ checkedInAt: string }>().checkedInAt,
      checkedInCount: 1,
      goingCount: 2,
    });
    await heardByAdmin.next('checkin:changed', (p) => p.handle === guest.handle);
    // By name (handle) too; checking in again announces nothing new.
    await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${slug}/checkins`,
      payload: { handle: guest.handle },
    });
    await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${slug}/checkins`,
      payload: { handle: late.handle },
    });
    expect(await heardByB.next('checkin:changed', (p) => p.handle === late.handle)).toMatchObject({
      checkedInCount: 2,
    });
    expect(heardByB.heard.filter((e) => e.event === 'checkin:changed')).toHaveLength(2);
    expect(JSON.stringify(heardByMember.heard)).not.toContain('checkin:changed');
  });
});
