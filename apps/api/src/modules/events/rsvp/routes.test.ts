/** RSVPs over HTTP: the waitlist, promotions, and closing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, RsvpResult } from '@opsi/contracts/events';
import { call, createTestApp, signUp, signUpAs, testClock } from '../../../testing.ts';
import { app, createEvent, DAY, eventBody, organiser, rsvp, startEventsApp, stopEventsApp } from '../testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

describe('RSVPs over HTTP', () => {
  it('waitlists when full, promotes on withdrawal, and closes on cancellation and at the deadline', async () => {
    const e = await createEvent({ capacity: 2 });
    const [a, b, c] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    expect((await rsvp(a, e.slug, 'going')).json<RsvpResult>().status).toBe('going');
    expect((await rsvp(b, e.slug, 'going')).json<RsvpResult>().status).toBe('going');
    expect((await rsvp(c, e.slug, 'going')).json<RsvpResult>()).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    expect((await call(app, a, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` })).statusCode).toBe(204);
    const promoted = (await call(app, c, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(promoted.myRsvp?.status).toBe('going');
    expect(promoted).toMatchObject({ goingCount: 2, waitlistCount: 0, seatsLeft: 0 });
    expect((await rsvp(a, e.slug, 'maybe')).statusCode).toBe(400);
    expect(
      (await call(app, null, { method: 'PUT', url: `/api/v1/events/${e.slug}/rsvp`, payload: { status: 'going' } }))
        .statusCode,
    ).toBe(401);

    await call(app, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    const refused = await rsvp(a, e.slug, 'going');
    expect(refused.statusCode).toBe(422);
    expect((await rsvp(b, e.slug, 'declined')).statusCode).toBe(200);

    // A deadline already passed (a second ago) closes answers: no need to wait one out.
    const closed = await createEvent({ rsvpDeadline: new Date(Date.now() - 1000).toISOString() });
    expect((await rsvp(a, closed.slug, 'going')).statusCode).toBe(422);
    expect(
      (await call(app, null, { method: 'GET', url: `/api/v1/events/${closed.slug}` })).json<EventDetail>().rsvpOpen,
    ).toBe(false);
  });
});

describe('on the app’s clock', () => {
  it('closes answers once the clock passes the deadline, and refuses to cancel once it passes the end', async () => {
    const clock = testClock();
    const timed = await createTestApp({}, { clock });
    try {
      const [host, guest, late] = await Promise.all([signUpAs(timed, 'organiser'), signUp(timed), signUp(timed)]);
      const body = eventBody({ coOrganisers: [], rsvpDeadline: new Date(clock().getTime() + DAY).toISOString() });
      expect((await call(timed, host, { method: 'POST', url: '/api/v1/events', payload: body })).statusCode).toBe(201);
      const url = `/api/v1/events/${body.slug}`;
      expect(
        (await call(timed, guest, { method: 'PUT', url: `${url}/rsvp`, payload: { status: 'going' } })).statusCode,
      ).toBe(200);

      clock.advance(DAY + 60_000);
      expect((await call(timed, late, { method: 'GET', url })).json<EventDetail>().rsvpOpen).toBe(false);
      const refused = await call(timed, late, { method: 'PUT', url: `${url}/rsvp`, payload: { status: 'going' } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json<{ error: { details: { code: string }[] } }>().error.details[0]?.code).toBe('rsvp_closed');
      // Those already in may still leave.
      expect(
        (await call(timed, guest, { method: 'PUT', url: `${url}/rsvp`, payload: { status: 'declined' } })).statusCode,
      ).toBe(200);

      // Past its end (12 days on), the event is over: it can no longer be cancelled.
      clock.advance(12 * DAY);
      const over = await call(timed, host, { method: 'POST', url: `${url}/cancel` });
      expect(over.statusCode).toBe(409);
      expect(over.json<{ error: { details: { code: string }[] } }>().error.details[0]?.code).toBe('event_over');
    } finally {
      await timed.close();
    }
  });
});
