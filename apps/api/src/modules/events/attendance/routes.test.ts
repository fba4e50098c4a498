/** Attendance over HTTP: check-ins, tickets, and the CSV export. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendeeList, EventDetail, RsvpResult } from '@opsi/contracts/events';
import { call, signUp } from '../../../testing.ts';
import { app, createEvent, organiser, rsvp, startEventsApp, stopEventsApp } from '../testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

describe('RSVPs over HTTP', () => {
  it('checks people in by code or handle, once, and refuses those not going', async () => {
    const e = await createEvent({ capacity: 1 });
    const [a, b] = await Promise.all([signUp(app), signUp(app)]);
    const code = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    await rsvp(b, e.slug, 'going');
    const url = `/api/v1/events/${e.slug}/checkins`;
    const first = await call(app, organiser, {
      method: 'POST',
      url,
      payload: { code: code.toLowerCase().replace(/(.{5})/, '$1-') },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      attendee: { handle: a.handle },
      alreadyCheckedIn: false,
      checkedInCount: 1,
      goingCount: 1,
    });
    const again = await call(app, organiser, { method: 'POST', url, payload: { handle: a.handle } });
    expect(again.json()).toMatchObject({ alreadyCheckedIn: true, checkedInCount: 1 });
    expect((await call(app, organiser, { method: 'POST', url, payload: { handle: b.handle } })).statusCode).toBe(422);
    expect((await call(app, organiser, { method: 'POST', url, payload: { code: 'ZZZZZZZZZZ' } })).statusCode).toBe(404);
    expect((await call(app, organiser, { method: 'POST', url, payload: {} })).statusCode).toBe(400);
  });

  it('forgets a check-in when the member leaves: a rejoin starts unchecked, with a new ticket', async () => {
    const e = await createEvent({ capacity: 5 });
    const a = await signUp(app);
    const url = `/api/v1/events/${e.slug}/checkins`;
    const attendee = async () =>
      (await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` }))
        .json<AttendeeList>()
        .items.find((i) => i.handle === a.handle)!;
    const oldCode = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    expect((await call(app, organiser, { method: 'POST', url, payload: { code: oldCode } })).statusCode).toBe(200);
    expect((await attendee()).checkedInAt).not.toBeNull();

    // Declining clears the check-in (and voids the ticket shown so far).
    expect((await rsvp(a, e.slug, 'declined')).statusCode).toBe(200);
    expect(await attendee()).toMatchObject({ status: 'declined', checkedInAt: null });
    const again = (await rsvp(a, e.slug, 'going')).json<RsvpResult>();
    expect(again.status).toBe('going');
    expect(again.ticketCode).toMatch(/^[A-Z0-9]{10}$/);
    expect(again.ticketCode).not.toBe(oldCode);
    const list = (
      await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(list.items.find((i) => i.handle === a.handle)).toMatchObject({ status: 'going', checkedInAt: null });
    expect(list.checkedInCount).toBe(0);
    const mine = (await call(app, a, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().myRsvp;
    expect(mine).toMatchObject({ status: 'going', checkedInAt: null, ticketCode: again.ticketCode });

    // The old ticket no longer admits anyone; the new one checks in once.
    expect((await call(app, organiser, { method: 'POST', url, payload: { code: oldCode } })).statusCode).toBe(404);
    const first = await call(app, organiser, { method: 'POST', url, payload: { code: again.ticketCode } });
    expect(first.json()).toMatchObject({ alreadyCheckedIn: false, checkedInCount: 1 });
    const second = await call(app, organiser, { method: 'POST', url, payload: { code: again.ticketCode } });
    expect(second.json()).toMatchObject({ alreadyCheckedIn: true, checkedInCount: 1 });

    // Withdrawing (DELETE) and "interested" clear it too.
    expect((await call(app, a, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` })).statusCode).toBe(204);
    expect(await attendee()).toMatchObject({ status: 'declined', checkedInAt: null });
    const third = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    await call(app, organiser, { method: 'POST', url, payload: { code: third } });
    expect((await rsvp(a, e.slug, 'interested')).statusCode).toBe(200);
    expect(await attendee()).toMatchObject({ status: 'interested', checkedInAt: null });
  });

  it('exports attendees as CSV that spreadsheets cannot run', async () => {
    const e = await createEvent({ capacity: 5 });
    const evil = await signUp(app, { displayName: '=HYPERLINK("http://evil.example","x")' });
    await rsvp(evil, e.slug, 'going');
    const res = await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees.csv` });
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`${e.slug}-attendees.csv`);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('name,handle,email,status,waitlist_position,listed,ticket_code,checked_in_at,rsvp_at');
    expect(lines[1]).toContain(
      `"'=HYPERLINK(""http://evil.example"",""x"")",${evil.handle},${evil.handle}@example.org,going`,
    );
  });
});
