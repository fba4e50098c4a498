/** Who may do what to an event, over HTTP: the authorization matrix. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { AttendeeList, EventDetail, RsvpResult } from '@opsi/contracts/events';
import { call, setRole, signUp, signUpAs } from '../../testing.ts';
import {
  admin,
  app,
  coOrganiser,
  createEvent,
  eventBody,
  member,
  moderator,
  options,
  organiser,
  otherOrganiser,
  rsvp,
  startEventsApp,
  stopEventsApp,
  type Member,
} from './testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

describe('authorization matrix', () => {
  it('lets organisers and admins create; only an event’s organisers and admins manage it', async () => {
    const people: [string, Member | null][] = [
      ['anonymous', null],
      ['member', member],
      ['moderator', moderator],
      ['other organiser', otherOrganiser],
      ['co-organiser', coOrganiser],
      ['organiser', organiser],
      ['admin', admin],
    ];
    const expected: Record<string, Record<string, number>> = {
      create: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 201,
        'co-organiser': 201,
        organiser: 201,
        admin: 201,
      },
      edit: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 403,
        'co-organiser': 200,
        organiser: 200,
        admin: 200,
      },
      csv: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 403,
        'co-organiser': 200,
        organiser: 200,
        admin: 200,
      },
      message: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 403,
        'co-organiser': 202,
        organiser: 202,
        admin: 202,
      },
      checkin: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 403,
        'co-organiser': 200,
        organiser: 200,
        admin: 200,
      },
      cancel: {
        anonymous: 401,
        member: 403,
        moderator: 403,
        'other organiser': 403,
        'co-organiser': 200,
        organiser: 200,
        admin: 200,
      },
    };
    for (const [who, person] of people) {
      const e = await createEvent({ capacity: 10 });
      const guest = await signUp(app);
      const ticket = (await rsvp(guest, e.slug, 'going')).json<RsvpResult>().ticketCode!;
      const requests: Record<string, InjectOptions> = {
        create: { method: 'POST', url: '/api/v1/events', payload: eventBody() },
        edit: { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload: { title: 'Renamed' } },
        csv: { method: 'GET', url: `/api/v1/events/${e.slug}/attendees.csv` },
        message: {
          method: 'POST',
          url: `/api/v1/events/${e.slug}/messages`,
          payload: { subject: 'Hi', body: 'See you' },
        },
        checkin: { method: 'POST', url: `/api/v1/events/${e.slug}/checkins`, payload: { code: ticket } },
        cancel: { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` },
      };
      for (const [action, options] of Object.entries(requests)) {
        const res = await call(app, person, options);
        expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(expected[action]![who]);
      }
    }
  });

  it('takes every organiser power away at once from an organiser demoted to member; admins keep theirs', async () => {
    const demoted = await signUpAs(app, 'organiser');
    const create = await call(app, demoted, {
      method: 'POST',
      url: '/api/v1/events',
      payload: eventBody({ capacity: 10 }),
    });
    expect(create.statusCode, create.body).toBe(201);
    const e = create.json<EventDetail>();
    const guest = await signUp(app);
    const ticket = (await rsvp(guest, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    const actions: [string, InjectOptions, number][] = [
      ['edit', { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload: { title: 'Renamed' } }, 200],
      ['csv', { method: 'GET', url: `/api/v1/events/${e.slug}/attendees.csv` }, 200],
      [
        'message',
        { method: 'POST', url: `/api/v1/events/${e.slug}/messages`, payload: { subject: 'Hi', body: 'Hello' } },
        202,
      ],
      ['checkin', { method: 'POST', url: `/api/v1/events/${e.slug}/checkins`, payload: { code: ticket } }, 200],
    ];
    for (const [action, options, status] of actions) {
      expect((await call(app, demoted, options)).statusCode, `before: ${action}`).toBe(status);
    }

    // Demoted (as `npm run admin -- set-role` does): the session stays, the powers go at once.
    await setRole(app.database.kysely, demoted.handle, 'member');
    for (const [action, options] of actions) {
      const res = await call(app, demoted, options);
      expect(res.statusCode, `after: ${action} ${res.body}`).toBe(403);
    }
    const seen = (await call(app, demoted, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(seen.canManage).toBe(false);
    expect(seen.onlineUrl).toBeUndefined();
    const list = (
      await call(app, demoted, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(list.full).toBe(false);
    expect(JSON.stringify(list)).not.toContain(ticket);
    expect((await call(app, demoted, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(403);
    // A moderator is no organiser either, even when named on the event.
    await setRole(app.database.kysely, demoted.handle, 'moderator');
    expect((await call(app, demoted, options(actions, 'csv'))).statusCode).toBe(403);

    // Admins keep every power; given the role back, the organiser has the event back.
    for (const [action, request, status] of actions) {
      expect((await call(app, admin, request)).statusCode, `admin: ${action}`).toBe(status);
    }
    await setRole(app.database.kysely, demoted.handle, 'organiser');
    expect((await call(app, demoted, options(actions, 'csv'))).statusCode).toBe(200);
  });

  it('never shows the online link or the full attendee list to others', async () => {
    const e = await createEvent({ capacity: 1 });
    const [going, waiting, hidden] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    expect((await rsvp(going, e.slug, 'going')).json<RsvpResult>().status).toBe('going');
    expect((await rsvp(waiting, e.slug, 'going')).json<RsvpResult>()).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
      ticketCode: null,
    });
    await rsvp(hidden, e.slug, 'interested', false);
    const view = async (who: Member | null) =>
      (await call(app, who, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    for (const who of [null, member, waiting, hidden, otherOrganiser]) {
      const seen = await view(who);
      expect(seen.onlineUrl).toBeUndefined();
      expect(seen.hasOnlineLink).toBe(true);
      expect(JSON.stringify(seen)).not.toContain('secret-room');
    }
    expect((await view(going)).onlineUrl).toBe('https://meet.example.org/secret-room');
    expect((await view(going)).myRsvp?.ticketCode).toMatch(/^[A-Z0-9]{10}$/);
    expect((await view(coOrganiser)).onlineUrl).toBe('https://meet.example.org/secret-room');
    // Others see only those going who chose to be listed, without emails or codes.
    const publicList = (
      await call(app, member, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(publicList.full).toBe(false);
    expect(publicList.items).toEqual([{ handle: going.handle, displayName: `Member ${going.handle}` }]);
    await rsvp(going, e.slug, 'going', false);
    const unlisted = (
      await call(app, null, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(unlisted.items).toEqual([]);
    const full = (
      await call(app, organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(full.full).toBe(true);
    expect(full.items.map((a) => [a.handle, a.status, a.waitlistPosition ?? null])).toEqual([
      [going.handle, 'going', null],
      [waiting.handle, 'waitlisted', 1],
      [hidden.handle, 'interested', null],
    ]);
  });
});
