/** Calendars over HTTP: the private feed and its token, who sees the online link, and the add-to-calendar links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, uniqueSlug } from '../../../testing.ts';
import { calendarLinks } from './ics.ts';
import {
  app,
  eventIcs,
  events,
  icalJsEvents,
  inDays,
  type Member,
  newEvent,
  nodeIcalEvents,
  organiser,
  startCalendarApp,
  stopCalendarApp,
  text,
} from './testing.ts';

beforeAll(startCalendarApp);
afterAll(stopCalendarApp);

describe('the private feed and who sees the online link', () => {
  it('lists only the events the member is going to, with their online links; never another member’s', async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const alicesRoom = `https://meet.example.org/${uniqueSlug('alice-room')}`;
    const bobsRoom = `https://meet.example.org/${uniqueSlug('bob-room')}`;
    const going = await newEvent({
      ...inDays(31),
      timezone: 'Europe/Paris',
      onlineUrl: alicesRoom,
    });
    const interested = await newEvent({
      ...inDays(32),
      timezone: 'Europe/Paris',
    });
    const full = await newEvent({
      ...inDays(33),
      timezone: 'America/New_York',
      capacity: 1,
      onlineUrl: bobsRoom,
    });
    const declined = await newEvent({
      ...inDays(34),
      timezone: 'Asia/Kolkata',
    });
    const rsvp = (who: Member, slug: string, status: 'going' | 'interested' | 'declined') =>
      call(app, who, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
    expect((await rsvp(alice, going.slug, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(alice, interested.slug, 'interested')).statusCode).toBe(200);
    expect((await rsvp(bob, full.slug, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(alice, full.slug, 'going')).json()).toMatchObject({ status: 'waitlisted' });
    expect((await rsvp(alice, declined.slug, 'going')).statusCode).toBe(200);
    expect((await rsvp(alice, declined.slug, 'declined')).statusCode).toBe(200);

    const feedOf = async (who: Member) => {
      const created = await call(app, who, { method: 'POST', url: '/api/v1/me/calendar-token' });
      expect(created.statusCode, created.body).toBe(200);
      const { url } = created.json<{ url: string }>();
      expect(url).toMatch(new RegExp(`^${app.config.publicOrigin}/api/v1/calendar/[a-z2-7]{32}\\.ics$`));
      const res = await app.inject({ method: 'GET', url: new URL(url).pathname });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers['cache-control']).toBe('private, no-store');
      return res.body;
    };
    const slugs = (ics: string) =>
      icalJsEvents(ics).map((e) => String(e.component.getFirstPropertyValue('url')).split('/').pop());

    const alicesFeed = await feedOf(alice);
    expect(slugs(alicesFeed)).toEqual([going.slug]);
    expect(nodeIcalEvents(alicesFeed).map((e) => text(e.summary))).toEqual([going.title]);
    const [aliceEvent] = icalJsEvents(alicesFeed);
    expect(aliceEvent!.description).toContain(`Join online: ${alicesRoom}`);
    expect(aliceEvent!.component.getFirstPropertyValue('conference')).toBe(alicesRoom);
    expect(alicesFeed).not.toContain(bobsRoom);

    const bobsFeed = await feedOf(bob);
    expect(slugs(bobsFeed)).toEqual([full.slug]);
    expect(icalJsEvents(bobsFeed)[0]!.description).toContain(`Join online: ${bobsRoom}`);
    expect(bobsFeed).not.toContain(alicesRoom);
    expect(bobsFeed).not.toContain(going.slug);

    // The public file of the same event has no link; a member going (or an organiser) gets it, privately.
    const anonymous = await eventIcs(going.slug);
    expect(anonymous.body).not.toContain(alicesRoom);
    expect(anonymous.body).not.toContain('CONFERENCE');
    expect(anonymous.body).not.toContain('Join online');
    expect(icalJsEvents(anonymous.body)[0]!.location).toBe('Online');
    expect(anonymous.headers['cache-control']).toBe('public, max-age=300');
    expect(anonymous.headers.vary).toMatch(/cookie/i);
    for (const who of [alice, organiser]) {
      const mine = await eventIcs(going.slug, who);
      expect(icalJsEvents(mine.body)[0]!.description).toContain(`Join online: ${alicesRoom}`);
      expect(mine.headers['cache-control']).toBe('private, no-store');
    }
    const notGoing = await eventIcs(going.slug, bob);
    expect(notGoing.body).not.toContain(alicesRoom);
    expect(notGoing.headers['cache-control']).toBe('private, no-store');
  });

  it('replaces and revokes the token: an old or revoked URL is 404, the new one works', async () => {
    const member = await signUp(app);
    const event = await newEvent({
      ...inDays(35),
      timezone: 'UTC',
    });
    await call(app, member, { method: 'PUT', url: `/api/v1/events/${event.slug}/rsvp`, payload: { status: 'going' } });
    const status = async () => (await call(app, member, { method: 'GET', url: '/api/v1/me/calendar-token' })).json();
    expect(await status()).toEqual({ active: false });

    const path = async () => {
      const res = await call(app, member, { method: 'POST', url: '/api/v1/me/calendar-token' });
      expect(res.statusCode).toBe(200);
      return new URL(res.json<{ url: string }>().url).pathname;
    };
    const fetchFeed = (p: string) => app.inject({ method: 'GET', url: p });
    const first = await path();
    expect(await status()).toEqual({ active: true });
    expect((await fetchFeed(first)).statusCode).toBe(200);
    expect(icalJsEvents((await fetchFeed(first)).body)).toHaveLength(1);

    const second = await path();
    expect(second).not.toBe(first);
    const old = await fetchFeed(first);
    expect(old.statusCode).toBe(404);
    expect(old.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await fetchFeed(second)).statusCode).toBe(200);

    const revoked = await call(app, member, { method: 'DELETE', url: '/api/v1/me/calendar-token' });
    expect(revoked.statusCode).toBe(204);
    expect((await fetchFeed(second)).statusCode).toBe(404);
    expect(await status()).toEqual({ active: false });

    const third = await path();
    expect((await fetchFeed(third)).statusCode).toBe(200);
    expect(slugsOf((await fetchFeed(third)).body)).toEqual([event.slug]);

    for (const unknown of ['/api/v1/calendar/abcdefghijklmnopqrstuvwxyz234567.ics', '/api/v1/calendar/nope.ics']) {
      expect((await fetchFeed(unknown)).statusCode).toBe(404);
    }
  });

  it('asks for a sign-in (401) and refuses cross-site writes (403)', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/api/v1/me/calendar-token' });
      expect(res.statusCode, method).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const member = await signUp(app);
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await call(app, member, {
        method,
        url: '/api/v1/me/calendar-token',
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expect(res.statusCode, method).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    }
    expect((await call(app, member, { method: 'GET', url: '/api/v1/me/calendar-token' })).json()).toEqual({
      active: false,
    });
  });
});

function slugsOf(ics: string) {
  return icalJsEvents(ics).map((e) => String(e.component.getFirstPropertyValue('url')).split('/').pop());
}

describe('add-to-calendar links', () => {
  it('gives Google, Outlook and .ics links without the online link', async () => {
    const created = await newEvent({
      title: 'Budget hackathon: day 1 & 2',
      startsAt: '2027-03-27T23:30:00Z',
      endsAt: '2027-03-28T02:00:00Z',
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle 3',
      address: '5 rue de la Paix, Paris',
      description: 'Open to **everyone**.',
    });
    const res = await app.inject({ method: 'GET', url: `/api/v1/events/${created.slug}/calendar-links` });
    expect(res.statusCode, res.body).toBe(200);
    const links = res.json<{ google: string; outlook: string; ics: string }>();
    expect(links.ics).toBe(`${app.config.publicOrigin}/api/v1/events/${created.slug}/calendar.ics`);
    const url = `${app.config.publicOrigin}/events/${created.slug}`;

    expect(links.google).toMatch(
      /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&text=.+&dates=20270327T233000Z\/20270328T020000Z&/,
    );
    const google = new URL(links.google).searchParams;
    expect(google.get('text')).toBe('Budget hackathon: day 1 & 2');
    expect(google.get('details')).toBe(`Open to everyone.\n\n${url}`);
    expect(google.get('location')).toBe('Salle 3, 5 rue de la Paix, Paris (and online)');
    expect(google.get('ctz')).toBe('Europe/Paris');

    expect(links.outlook.startsWith('https://outlook.live.com/calendar/0/deeplink/compose?')).toBe(true);
    expect(links.outlook).not.toContain('+');
    const outlook = new URL(links.outlook).searchParams;
    expect(outlook.get('subject')).toBe('Budget hackathon: day 1 & 2');
    expect(Date.parse(outlook.get('startdt')!)).toBe(Date.parse('2027-03-27T23:30:00Z'));
    expect(Date.parse(outlook.get('enddt')!)).toBe(Date.parse('2027-03-28T02:00:00Z'));
    expect(outlook.get('body')).toBe(`Open to everyone.\n\n${url}`);
    expect(outlook.get('location')).toBe('Salle 3, 5 rue de la Paix, Paris (and online)');

    const row = await events.load(created.slug);
    expect(`${links.google} ${links.outlook}`).not.toContain(encodeURIComponent(row.onlineUrl!));
    expect(`${google.get('details')} ${outlook.get('body')}`).not.toContain(row.onlineUrl!);
    expect(calendarLinks(row, app.config.publicOrigin)).toEqual({ google: links.google, outlook: links.outlook });
  });

  it('answers 404 for an unknown event, for the links and the .ics', async () => {
    for (const path of ['calendar-links', 'calendar.ics']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/events/${uniqueSlug('missing')}/${path}` });
      expect(res.statusCode, path).toBe(404);
    }
  });

  it('documents the calendar routes in the OpenAPI description', async () => {
    const doc = (await app.inject('/api/docs/json')).json<{
      paths: Record<string, Record<string, { tags: string[] }>>;
    }>();
    for (const [path, method] of [
      ['/api/v1/events/{slug}/calendar.ics', 'get'],
      ['/api/v1/events/{slug}/calendar-links', 'get'],
      ['/api/v1/calendar/{token}.ics', 'get'],
      ['/api/v1/me/calendar-token', 'get'],
      ['/api/v1/me/calendar-token', 'post'],
      ['/api/v1/me/calendar-token', 'delete'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['events']);
    }
  });
});
