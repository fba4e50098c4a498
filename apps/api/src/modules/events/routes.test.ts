import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { AttendeeList, EventDetail, EventList, RsvpResult } from '@opsi/contracts/events';
import { createTestApp, setRole, signUp, signUpAs, uniqueSlug } from '../../testing.ts';

let app: FastifyInstance;
type Member = Awaited<ReturnType<typeof signUp>>;
let organiser: Member;
let coOrganiser: Member;
let otherOrganiser: Member;
let admin: Member;
let moderator: Member;
let member: Member;

beforeAll(async () => {
  app = await createTestApp();
  [organiser, coOrganiser, otherOrganiser, admin, moderator, member] = await Promise.all([
    signUpAs(app, 'organiser'),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'admin'),
    signUpAs(app, 'moderator'),
    signUp(app),
  ]);
});
afterAll(async () => {
  await app.close();
});

function call(who: Member | null, options: InjectOptions) {
  return app.inject({ ...options, headers: { ...(who ? { cookie: who.cookie } : {}), ...options.headers } });
}

const DAY = 24 * 60 * 60 * 1000;

function eventBody(overrides: Record<string, unknown> = {}) {
  const starts = new Date(Date.now() + 10 * DAY);
  return {
    title: 'Open government workshop',
    slug: uniqueSlug('ev'),
    description: 'Bring **ideas**. <script>alert(1)</script>',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'hybrid',
    venue: 'OECD Conference Centre',
    address: '2 rue André Pascal, Paris',
    onlineUrl: 'https://meet.example.org/secret-room',
    capacity: 2,
    countries: ['FR'],
    themes: ['digital-government'],
    caseSlugs: ['my-france-2022'],
    coOrganisers: [coOrganiser.handle],
    ...overrides,
  };
}

/** An event of `organiser`, co-organised by `coOrganiser` (invited, and accepting) unless overridden. */
async function createEvent(overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  const body = eventBody(overrides);
  const res = await call(organiser, { method: 'POST', url: '/api/v1/events', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  if (!body.coOrganisers.includes(coOrganiser.handle)) return res.json<EventDetail>();
  const slug = res.json<EventDetail>().slug;
  const accepted = await call(coOrganiser, {
    method: 'POST',
    url: `/api/v1/events/${slug}/organiser-invitations/accept`,
  });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return (await call(organiser, { method: 'GET', url: `/api/v1/events/${slug}` })).json<EventDetail>();
}

/** The request of a named action in a list of [name, request, status]. */
function options(actions: [string, InjectOptions, number][], name: string): InjectOptions {
  return actions.find(([action]) => action === name)![1];
}

async function rsvp(who: Member, slug: string, status: string, listed?: boolean) {
  const res = await call(who, {
    method: 'PUT',
    url: `/api/v1/events/${slug}/rsvp`,
    payload: listed === undefined ? { status } : { status, listed },
  });
  return res;
}

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
    const list = (await call(null, { method: 'GET', url: '/api/v1/events?limit=100' })).json<EventList>();
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
      const res = await call(organiser, { method: 'POST', url: '/api/v1/events', payload: eventBody(overrides) });
      expect(res.statusCode, `${JSON.stringify(overrides)} ${res.body}`).toBe(status);
      const details = res.json<{ error: { details?: { field: string }[] } }>().error.details ?? [];
      expect(details.map((d) => d.field).join(',')).toContain(field);
    }
    const taken = await createEvent();
    const again = await call(organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: eventBody({ slug: taken.slug }),
    });
    expect(again.statusCode).toBe(409);
  });
});

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
        const res = await call(person, options);
        expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(expected[action]![who]);
      }
    }
  });

  it('takes every organiser power away at once from an organiser demoted to member; admins keep theirs', async () => {
    const demoted = await signUpAs(app, 'organiser');
    const create = await call(demoted, { method: 'POST', url: '/api/v1/events', payload: eventBody({ capacity: 10 }) });
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
      expect((await call(demoted, options)).statusCode, `before: ${action}`).toBe(status);
    }

    // Demoted (as `npm run admin -- set-role` does): the session stays, the powers go at once.
    await setRole(app.database.kysely, demoted.handle, 'member');
    for (const [action, options] of actions) {
      const res = await call(demoted, options);
      expect(res.statusCode, `after: ${action} ${res.body}`).toBe(403);
    }
    const seen = (await call(demoted, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(seen.canManage).toBe(false);
    expect(seen.onlineUrl).toBeUndefined();
    const list = (
      await call(demoted, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(list.full).toBe(false);
    expect(JSON.stringify(list)).not.toContain(ticket);
    expect((await call(demoted, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(403);
    // A moderator is no organiser either, even when named on the event.
    await setRole(app.database.kysely, demoted.handle, 'moderator');
    expect((await call(demoted, options(actions, 'csv'))).statusCode).toBe(403);

    // Admins keep every power; given the role back, the organiser has the event back.
    for (const [action, request, status] of actions) {
      expect((await call(admin, request)).statusCode, `admin: ${action}`).toBe(status);
    }
    await setRole(app.database.kysely, demoted.handle, 'organiser');
    expect((await call(demoted, options(actions, 'csv'))).statusCode).toBe(200);
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
      (await call(who, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
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
      await call(member, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(publicList.full).toBe(false);
    expect(publicList.items).toEqual([{ handle: going.handle, displayName: `Member ${going.handle}` }]);
    await rsvp(going, e.slug, 'going', false);
    const unlisted = (
      await call(null, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(unlisted.items).toEqual([]);
    const full = (
      await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(full.full).toBe(true);
    expect(full.items.map((a) => [a.handle, a.status, a.waitlistPosition ?? null])).toEqual([
      [going.handle, 'going', null],
      [waiting.handle, 'waitlisted', 1],
      [hidden.handle, 'interested', null],
    ]);
  });
});

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

    const closed = await createEvent({ rsvpDeadline: new Date(Date.now() + 1000).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await rsvp(a, closed.slug, 'going')).statusCode).toBe(422);
    expect(
      (await call(null, { method: 'GET', url: `/api/v1/events/${closed.slug}` })).json<EventDetail>().rsvpOpen,
    ).toBe(false);
  });

  it('checks people in by code or handle, once, and refuses those not going', async () => {
    const e = await createEvent({ capacity: 1 });
    const [a, b] = await Promise.all([signUp(app), signUp(app)]);
    const code = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    await rsvp(b, e.slug, 'going');
    const url = `/api/v1/events/${e.slug}/checkins`;
    const first = await call(organiser, {
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
    const again = await call(organiser, { method: 'POST', url, payload: { handle: a.handle } });
    expect(again.json()).toMatchObject({ alreadyCheckedIn: true, checkedInCount: 1 });
    expect((await call(organiser, { method: 'POST', url, payload: { handle: b.handle } })).statusCode).toBe(422);
    expect((await call(organiser, { method: 'POST', url, payload: { code: 'ZZZZZZZZZZ' } })).statusCode).toBe(404);
    expect((await call(organiser, { method: 'POST', url, payload: {} })).statusCode).toBe(400);
  });

  it('forgets a check-in when the member leaves: a rejoin starts unchecked, with a new ticket', async () => {
    const e = await createEvent({ capacity: 5 });
    const a = await signUp(app);
    const url = `/api/v1/events/${e.slug}/checkins`;
    const attendee = async () =>
      (await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` }))
        .json<AttendeeList>()
        .items.find((i) => i.handle === a.handle)!;
    const oldCode = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    expect((await call(organiser, { method: 'POST', url, payload: { code: oldCode } })).statusCode).toBe(200);
    expect((await attendee()).checkedInAt).not.toBeNull();

    // Declining clears the check-in (and voids the ticket shown so far).
    expect((await rsvp(a, e.slug, 'declined')).statusCode).toBe(200);
    expect(await attendee()).toMatchObject({ status: 'declined', checkedInAt: null });
    const again = (await rsvp(a, e.slug, 'going')).json<RsvpResult>();
    expect(again.status).toBe('going');
    expect(again.ticketCode).toMatch(/^[A-Z0-9]{10}$/);
    expect(again.ticketCode).not.toBe(oldCode);
    const list = (
      await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees` })
    ).json<AttendeeList>();
    expect(list.items.find((i) => i.handle === a.handle)).toMatchObject({ status: 'going', checkedInAt: null });
    expect(list.checkedInCount).toBe(0);
    const mine = (await call(a, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().myRsvp;
    expect(mine).toMatchObject({ status: 'going', checkedInAt: null, ticketCode: again.ticketCode });

    // The old ticket no longer admits anyone; the new one checks in once.
    expect((await call(organiser, { method: 'POST', url, payload: { code: oldCode } })).statusCode).toBe(404);
    const first = await call(organiser, { method: 'POST', url, payload: { code: again.ticketCode } });
    expect(first.json()).toMatchObject({ alreadyCheckedIn: false, checkedInCount: 1 });
    const second = await call(organiser, { method: 'POST', url, payload: { code: again.ticketCode } });
    expect(second.json()).toMatchObject({ alreadyCheckedIn: true, checkedInCount: 1 });

    // Withdrawing (DELETE) and "interested" clear it too.
    expect((await call(a, { method: 'DELETE', url: `/api/v1/events/${e.slug}/rsvp` })).statusCode).toBe(204);
    expect(await attendee()).toMatchObject({ status: 'declined', checkedInAt: null });
    const third = (await rsvp(a, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    await call(organiser, { method: 'POST', url, payload: { code: third } });
    expect((await rsvp(a, e.slug, 'interested')).statusCode).toBe(200);
    expect(await attendee()).toMatchObject({ status: 'interested', checkedInAt: null });
  });

  it('exports attendees as CSV that spreadsheets cannot run', async () => {
    const e = await createEvent({ capacity: 5 });
    const evil = await signUp(app, { displayName: '=HYPERLINK("http://evil.example","x")' });
    await rsvp(evil, e.slug, 'going');
    const res = await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees.csv` });
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`${e.slug}-attendees.csv`);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('name,handle,email,status,waitlist_position,listed,ticket_code,checked_in_at,rsvp_at');
    expect(lines[1]).toContain(
      `"'=HYPERLINK(""http://evil.example"",""x"")",${evil.handle},${evil.handle}@example.org,going`,
    );
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
    const list = await call(who, { method: 'GET', url: '/api/v1/me/notifications?limit=100' });
    return list.json<{ items: { kind: string; url: string }[] }>().items.filter((n) => n.kind === kind);
  }

  it('after cancellation: a decline promotes nobody, edits and messages are refused, check-ins too', async () => {
    const e = await createEvent({ capacity: 1 });
    const [going, waiting] = await Promise.all([signUp(app), signUp(app)]);
    const ticket = (await rsvp(going, e.slug, 'going')).json<RsvpResult>().ticketCode!;
    expect((await rsvp(waiting, e.slug, 'going')).json<RsvpResult>().status).toBe('waitlisted');
    expect((await call(organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(200);

    // Declining (or withdrawing) is still possible, but nobody takes the seat of a cancelled event.
    expect((await rsvp(going, e.slug, 'declined')).json<RsvpResult>().status).toBe('declined');
    const view = (await call(waiting, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(view.myRsvp?.status).toBe('waitlisted');
    expect(view).toMatchObject({ goingCount: 0, waitlistCount: 1 });
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'waitlist_promoted')).toEqual([]);

    // Edits are refused (409, the status named): no new time, no more seats, no "event changed".
    for (const payload of [{ venue: 'Somewhere else' }, { capacity: 10 }, { title: 'Renamed after the fact' }]) {
      const res = await call(organiser, { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'conflict', details: [{ field: 'status' }] } });
    }
    const admin409 = await call(admin, { method: 'PATCH', url: `/api/v1/events/${e.slug}`, payload: { capacity: 5 } });
    expect(admin409.statusCode).toBe(409);
    const after = (await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>();
    expect(after).toMatchObject({ title: e.title, venue: e.venue, capacity: 1, waitlistCount: 1, status: 'cancelled' });
    expect(await queued(e.slug, 'email.event_changed')).toEqual([]);
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'event_changed')).toEqual([]);

    // No mailing list out of a cancelled event, and nobody to check in.
    const message = await call(organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/messages`,
      payload: { subject: 'Still on?', body: 'Come anyway' },
    });
    expect(message.statusCode).toBe(409);
    expect(await queued(e.slug, 'email.event_message')).toEqual([]);
    const checkin = await call(organiser, {
      method: 'POST',
      url: `/api/v1/events/${e.slug}/checkins`,
      payload: { code: ticket },
    });
    expect(checkin.statusCode).toBe(409);
    // Cancelling again changes nothing.
    expect((await call(organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` })).statusCode).toBe(200);
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
      (await call(waiting, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().myRsvp?.status,
    ).toBe('waitlisted');
    expect(await queued(e.slug, 'email.rsvp_promoted')).toEqual([]);
    expect(await notified(waiting, 'waitlist_promoted')).toEqual([]);

    // Fixing the record of a past event (its venue, its seats) is allowed, quietly.
    const res = await call(organiser, {
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
    const cancel = await call(organiser, { method: 'POST', url: `/api/v1/events/${e.slug}/cancel` });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ error: { code: 'conflict', details: [{ field: 'status' }] } });
    expect((await call(organiser, { method: 'GET', url: `/api/v1/events/${e.slug}` })).json<EventDetail>().status).toBe(
      'published',
    );
    expect(await queued(e.slug, 'email.event_cancelled')).toEqual([]);
    expect(await notified(waiting, 'event_cancelled')).toEqual([]);
  });
});
