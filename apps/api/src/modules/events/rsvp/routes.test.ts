/** RSVPs over HTTP: the waitlist, promotions, and closing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, RsvpResult } from '@opsi/contracts/events';
import { signUp } from '../../../testing.ts';
import { app, call, createEvent, organiser, rsvp, startEventsApp, stopEventsApp } from '../testing.ts';

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
    expect((await call(a, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` })).statusCode).toBe(204);
    const promoted = (await call(c, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(promoted.myRsvp?.status).toBe('going');
    expect(promoted).toMatchObject({ goingCount: 2, waitlistCount: 0, seatsLeft: 0 });
    expect((await rsvp(a, e.slug, 'maybe')).statusCode).toBe(400);
    expect(
      (await call(null, { method: 'PUT', url: `/api/v1/events/${e.slug}/rsvp`, payload: { status: 'going' } }))
        .statusCode,
    ).toBe(401);

    await call(organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    const refused = await rsvp(a, e.slug, 'going');
    expect(refused.statusCode).toBe(422);
    expect((await rsvp(b, e.slug, 'declined')).statusCode).toBe(200);

    // A deadline already passed (a second ago) closes answers: no need to wait one out.
    const closed = await createEvent({ rsvpDeadline: new Date(Date.now() - 1000).toISOString() });
    expect((await rsvp(a, closed.slug, 'going')).statusCode).toBe(422);
    expect(
      (await call(null, { method: 'GET', url: `/api/v1/events/${closed.slug}` })).json<EventDetail>().rsvpOpen,
    ).toBe(false);
  });
});
