/** GET /api/v1/me/events: the events a member answered, with their status, place in line and ticket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyEventList } from '@opsi/contracts/events';
import { call, signUp } from '../../../testing.ts';
import { app, createEvent, DAY, organiser, rsvp, startEventsApp, stopEventsApp, type Member } from '../testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

async function mine(who: Member | null, query = '') {
  return call(app, who, { method: 'GET', url: `/api/v1/me/events${query}` });
}

describe('my events', () => {
  it('needs a session (401), refuses an unknown `when` (400) and is private', async () => {
    expect((await mine(null)).statusCode).toBe(401);
    const who = await signUp(app);
    const bad = await mine(who, '?when=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('when');
    const ok = await mine(who);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('private, no-store');
    expect(ok.json<MyEventList>()).toEqual({ items: [], nextCursor: null });
  });

  it('lists each answer with its status, waitlist position and ticket, soonest first, only mine', async () => {
    const [me, first, stranger] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const later = await createEvent({
      capacity: 1,
      startsAt: new Date(Date.now() + 20 * DAY).toISOString(),
      endsAt: new Date(Date.now() + 20 * DAY + 3600_000).toISOString(),
    });
    const sooner = await createEvent({ capacity: 5 });
    const third = await createEvent({
      capacity: 5,
      startsAt: new Date(Date.now() + 15 * DAY).toISOString(),
      endsAt: new Date(Date.now() + 15 * DAY + 3600_000).toISOString(),
    });
    const untouched = await createEvent();
    await rsvp(first, later.slug, 'going');
    const waiting = (await rsvp(me, later.slug, 'going')).json<{ status: string; waitlistPosition: number }>();
    expect(waiting).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const going = (await rsvp(me, sooner.slug, 'going')).json<{ ticketCode: string }>();
    await rsvp(me, third.slug, 'interested');
    await rsvp(stranger, untouched.slug, 'going');

    const list = (await mine(me)).json<MyEventList>();
    expect(list.items.map((i) => i.event.slug)).toEqual([sooner.slug, third.slug, later.slug]);
    expect(list.items[0]!.rsvp).toMatchObject({
      status: 'going',
      ticketCode: going.ticketCode,
      waitlistPosition: null,
      checkedInAt: null,
    });
    expect(list.items[1]!.rsvp).toMatchObject({ status: 'interested', ticketCode: null, waitlistPosition: null });
    expect(list.items[2]!.rsvp).toMatchObject({ status: 'waitlisted', ticketCode: null, waitlistPosition: 1 });
    expect(list.items[2]!.event).toMatchObject({ slug: later.slug, goingCount: 1, waitlistCount: 1, seatsLeft: 0 });

    // The seat freed goes to me: going, with a ticket, and the list says so.
    await call(app, first, { method: 'DELETE', url: `/api/v1/events/${later.slug}/rsvp` });
    const after = (await mine(me)).json<MyEventList>().items.find((i) => i.event.slug === later.slug)!;
    expect(after.rsvp.status).toBe('going');
    expect(after.rsvp.ticketCode).toMatch(/^[A-Z0-9]{10}$/);
    // Declining stays in the list, as "not going", without a ticket.
    await call(app, me, { method: 'DELETE', url: `/api/v1/events/${sooner.slug}/rsvp` });
    const declined = (await mine(me)).json<MyEventList>().items.find((i) => i.event.slug === sooner.slug)!;
    expect(declined.rsvp).toMatchObject({ status: 'declined', ticketCode: null });
    // The one who left sees it as declined; the stranger sees only their own.
    expect((await mine(stranger)).json<MyEventList>().items.map((i) => i.event.slug)).toEqual([untouched.slug]);
  });

  it('shows the check-in, pages with a cursor, and puts past events under when=past, latest first', async () => {
    const me = await signUp(app);
    const events = [];
    for (let i = 0; i < 3; i += 1) {
      const starts = Date.now() + (5 + i) * DAY;
      events.push(
        await createEvent({
          startsAt: new Date(starts).toISOString(),
          endsAt: new Date(starts + 3600_000).toISOString(),
        }),
      );
    }
    for (const e of events) await rsvp(me, e.slug, 'going');
    const checked = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${events[0]!.slug}/checkins`,
      payload: { handle: me.handle },
    });
    expect(checked.statusCode).toBe(200);
    const first = (await mine(me, '?limit=2')).json<MyEventList>();
    expect(first.items.map((i) => i.event.slug)).toEqual([events[0]!.slug, events[1]!.slug]);
    expect(first.items[0]!.rsvp.checkedInAt).toEqual(expect.any(String));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await mine(me, `?limit=2&cursor=${first.nextCursor}`)).json<MyEventList>();
    expect(second).toEqual({
      items: [expect.objectContaining({ event: expect.objectContaining({ slug: events[2]!.slug }) })],
      nextCursor: null,
    });

    // An event over (moved into the past by its organiser) leaves "upcoming" for "past".
    const past = await createEvent();
    await rsvp(me, past.slug, 'going');
    await app.database.kysely
      .updateTable('events')
      .set({ starts_at: new Date(Date.now() - 2 * DAY), ends_at: new Date(Date.now() - 2 * DAY + 3600_000) })
      .where('slug', '=', past.slug)
      .execute();
    const upcoming = (await mine(me)).json<MyEventList>().items.map((i) => i.event.slug);
    expect(upcoming).not.toContain(past.slug);
    const gone = (await mine(me, '?when=past')).json<MyEventList>();
    expect(gone.items.map((i) => i.event.slug)).toEqual([past.slug]);
    expect(gone.items[0]!.rsvp.status).toBe('going');
  });
});
