/** Events over HTTP: creating and reading them, and what a cancelled or past event refuses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, EventList, RsvpResult } from '@opsi/contracts/events';
import { call, signUp } from '../../../testing.ts';
import {
  admin,
  app,
  coOrganiser,
  createEvent,
  DAY,
  eventBody,
  organiser,
  rsvp,
  startEventsApp,
  stopEventsApp,
  type Member,
} from '../testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

describe('creating and reading events', () => {
  it('creates an event with organisers and linked cases, renders the description safely', async () => {
    const e = await createEvent();
    expect(e).toMatchObject({
      title: 'Open government workshop',
      status: 'published',
      capacity: 2,
      goingCount: 0,
      seatsLeft: 2,
      mode: 'hybrid',
      organiser: { handle: organiser.handle },
      cases: [{ slug: 'my-france-2022', title: '#MyFrance2022' }],
      canManage: true,
      rsvpOpen: true,
      hasOnlineLink: true,
      onlineUrl: 'https://meet.example.org/secret-room',
      myRsvp: null,
    });
    expect(e.organisers.map((o) => o.handle).sort()).toEqual([organiser.handle, coOrganiser.handle].sort());
    expect(e.descriptionHtml).toContain('<strong>ideas</strong>');
    expect(e.descriptionHtml).not.toContain('<script');
    const list = (await call(app, null, { method: 'GET', url: '/api/v1/events?limit=100' })).json<EventList>();
    expect(list.items.map((i) => i.slug)).toContain(e.slug);
    const starts = list.items.map((i) => Date.parse(i.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('refuses bad input with the field named', async () => {
    const starts = new Date(Date.now() + 5 * DAY);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ endsAt: new Date(starts.getTime() - 1000).toISOString(), startsAt: starts.toISOString() }, 422, 'endsAt'],
      [{ timezone: 'Mars/Olympus' }, 422, 'timezone'],
      [{ mode: 'in_person', venue: '' }, 422, 'venue'],
      [{ mode: 'carrier-pigeon' }, 400, 'mode'],
      [{ capacity: 0 }, 400, 'capacity'],
      [{ countries: ['XX'] }, 422, 'countries'],
      [{ caseSlugs: ['no-such-case'] }, 422, 'caseSlugs'],
      [{ coOrganisers: ['nobody-at-all-here'] }, 422, 'coOrganisers'],
      [{ onlineUrl: 'javascript:alert(1)' }, 400, 'onlineUrl'],
      [{ startsAt: 'tomorrow' }, 400, 'startsAt'],
      [{ title: '' }, 400, 'title'],
      [{ rsvpDeadline: new Date(Date.now() + 30 * DAY).toISOString() }, 422, 'rsvpDeadline'],
    ];
    for (const [overrides, status, field] of cases) {
      const res = await call(app, organiser, { method: 'POST', url: '/api/v1/events', payload: eventBody(overrides) });
      expect(res.statusCode, `${JSON.stringify(overrides)} ${res.body}`).toBe(status);
      const details = res.json<{ error: { details?: { field: string }[] } }>().error.details ?? [];
      expect(details.map((d) => d.field).join(',')).toContain(field);
    }
    const taken = await createEvent();
    const again = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: eventBody({ slug: taken.slug }),
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('a cancelled or past event stays as it is', () => {
  /** The email jobs queued for an event (kinds: email.rsvp_promoted, email.event_changed, …). */
  async function queued(slug: string, kind: string) {
    const e = await app.database.kysely
      .selectFrom('events')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    return app.database.kysely
      .selectFrom('jobs')
      .select(['key', 'payload'])
      .where('kind', '=', kind)
      .where('key', 'like', `${e.id}:%`)
      .execute();
  }

  async function notified(who: Member, kind: string) {
    await app.activities.poke();
    await app.notifier.poke();
    const list = await call(app, who, { method: 'GET', url: '/api/v1/me/notifications?limit=100' });
    return list.json<{ items: { kind: string; url: string }[] }>().items.filter((n) => n.kind === kind);
  }

  it('after cancellation: a decline promotes nobody, edits and messages are refused, check-ins too', async () => {
    const e = await createEvent({ capacity: 1 });
    const [going, waiting] = await Promise.all([signUp(app), signUp(app)]);
    const ticket = (await rsvp(going, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    expect((await rsvp(waiting, e.slug, 'going')).json<RsvpResult>().status).toBe('waitlisted');
    expect((await call(app, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(
      200,
    );

    // Declining (or withdrawing) is still possible, but nobody takes the seat of a cancelled event.
    expect((await rsvp(going, e.slug, 'declined')).json<RsvpResult>().status).toBe('declined');
    const view = (await call(app, waiting, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(view.myRsvp?.status).toBe('waitlisted');
    expect(view).toMatchObject({ goingCount: 0, waitlistCount: 1 });
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'waitlist_promoted')).toEqual([]);

    // Edits are refused (409, the status named): no new time, no more seats, no "event changed".
    for (const payload of [{ venue: 'Somewhere else' }, { capacity: 10 }, { title: 'Renamed after the fact' }]) {
      const res = await call(app, organiser, { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'conflict', details: [{ field: 'status' }] } });
    }
    const admin409 = await call(app, admin, {
      method: 'PATCH',
      url: `/api/v1/events/${e.slug}`,
      payload: { capacity: 5 },
    });
    expect(admin409.statusCode).toBe(409);
    const after = (await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(after).toMatchObject({ title: e.title, venue: e.venue, capacity: 1, waitlistCount: 1, status: 'cancelled' });
    expect(await queued(e.slug, 'email.event_changed')).toEqual([]);
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'event_changed')).toEqual([]);

    // No mailing list out of a cancelled event, and nobody to check in.
    const message = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/messages`,
      payload: { subject: 'Still on?', body: 'Come anyway' },
    });
    expect(message.statusCode).toBe(409);
    expect(await queued(e.slug, 'email.event_message')).toEqual([]);
    const checkin = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/checkins`,
      payload: { code: ticket },
    });
    expect(checkin.statusCode).toBe(409);
    // Cancelling again changes nothing.
    expect((await call(app, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(
      200,
    );
  });

  it('after the end: a decline promotes nobody and an edit tells nobody', async () => {
    const e = await createEvent({ capacity: 1 });
    const [going, waiting] = await Promise.all([signUp(app), signUp(app)]);
    await rsvp(going, e.slug, 'going');
    expect((await rsvp(waiting, e.slug, 'going')).json<RsvpResult>().status).toBe('waitlisted');
    // The event took place (moved into the past directly: the API does not travel in time).
    await app.database.kysely
      .updateTable('events')
      .set({ starts_at: new Date(Date.now() - 3 * DAY), ends_at: new Date(Date.now() - 2 * DAY) })
      .where('slug', '=', e.slug)
      .execute();
    expect((await rsvp(going, e.slug, 'declined')).json<RsvpResult>().status).toBe('declined');
    expect(
      (await call(app, waiting, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().myRsvp?.status,
    ).toBe('waitlisted');
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'waitlist_promoted')).toEqual([]);

    // Fixing the record of a past event (its venue, its seats) is allowed, quietly.
    const res = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${e.slug}`,
      payload: { venue: 'The room it really was in', capacity: 3 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<EventDetail>()).toMatchObject({ venue: 'The room it really was in', waitlistCount: 1 });
    expect(await queued(e.slug, 'email.event_changed')).toEqual([]);
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'event_changed')).toEqual([]);
    expect(await notified(waiting, 'waitlist_promoted')).toEqual([]);

    // It took place: it can no longer be cancelled (nobody is told of a cancellation after the fact).
    const cancel = await call(app, organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ error: { code: 'conflict', details: [{ field: 'status' }] } });
    expect(
      (await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().status,
    ).toBe('published');
    expect(await queued(e.slug, 'email.event_cancelled')).toEqual([]);
    expect(await notified(waiting, 'event_cancelled')).toEqual([]);
  });
});
