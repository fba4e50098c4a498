/**
 * Live events over real websockets: the event room hears counts and changes, never the online
 * link or who is coming; a promotion reaches the promoted member's own sockets only. The public
 * list and calendar never carry the link either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import type { EventDetail } from '@opsi/contracts/events';
import { createTestApp, signUp, signUpAs, uniqueSlug } from '../../testing.ts';

let app: FastifyInstance;
let origin: string;
const sockets: Socket[] = [];
type Member = Awaited<ReturnType<typeof signUp>>;
const SECRET = 'https://meet.example.org/very-secret-room';
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app.close();
});

function call(who: Member | null, options: InjectOptions) {
  return app.inject({ ...options, headers: { ...(who ? { cookie: who.cookie } : {}), ...options.headers } });
}

async function socket(who: Member | null): Promise<Socket> {
  const s = connect(origin, {
    transports: ['websocket'],
    reconnection: false,
    ...(who ? { extraHeaders: { cookie: who.cookie } } : {}),
  });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

function record(s: Socket) {
  const seen: { event: string; payload: unknown }[] = [];
  s.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

async function until(check: () => boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live events', () => {
  it('tell the room counts and changes only, and a promotion to the promoted member alone', async () => {
    const [organiser, first, second, bystander] = await Promise.all([
      signUpAs(app, 'organiser'),
      signUp(app),
      signUp(app),
      signUp(app),
    ]);
    const starts = new Date(Date.now() + 10 * DAY);
    const created = await call(organiser, {
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

    const anonymous = await socket(null);
    const watcher = await socket(bystander);
    const secondOwn = await socket(second);
    for (const s of [anonymous, watcher]) {
      expect(await s.timeout(5000).emitWithAck('event:watch', { slug })).toMatchObject({ ok: true });
    }
    const heardByAnonymous = record(anonymous);
    const heardByBystander = record(watcher);
    const heardBySecond = record(secondOwn);

    const rsvp = (who: Member, status: string) =>
      call(who, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
    expect((await rsvp(first, 'going')).json()).toMatchObject({ status: 'going' });
    expect((await rsvp(second, 'going')).json()).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await until(
      () =>
        heardByAnonymous.some(
          (e) => e.event === 'rsvp:changed' && JSON.stringify(e.payload).includes('"waitlistCount":1'),
        ),
      'the waitlist count',
    );
    // The first withdraws: the second is promoted, told on their own socket only.
    expect((await call(first, { method: 'DELETE', url: `/api/v1/events/${slug}/rsvp` })).statusCode).toBe(204);
    await until(() => heardBySecond.some((e) => e.event === 'rsvp:updated'), 'the promotion');
    expect(heardBySecond.find((e) => e.event === 'rsvp:updated')!.payload).toEqual({
      eventSlug: slug,
      status: 'going',
    });
    await until(
      () =>
        heardByAnonymous.some(
          (e) =>
            e.event === 'rsvp:changed' &&
            (e.payload as { goingCount: number; waitlistCount: number }).goingCount === 1 &&
            (e.payload as { waitlistCount: number }).waitlistCount === 0,
        ),
      'the counts after the promotion',
    );
    // The organiser moves it, then cancels it: the room hears both.
    const moved = await call(organiser, {
      method: 'PATCH',
      url: `/api/v1/events/${slug}`,
      payload: {
        startsAt: new Date(starts.getTime() + DAY).toISOString(),
        endsAt: new Date(starts.getTime() + DAY + 3_600_000).toISOString(),
      },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await call(organiser, { method: 'POST', url: `/api/v1/events/${slug}/cancel` })).statusCode).toBe(200);
    await until(
      () =>
        heardByBystander.some((e) => e.event === 'event:updated' && JSON.stringify(e.payload).includes('cancelled')),
      'the cancellation',
    );
    // A marker after everything: the promoted member declines (still allowed once cancelled), and
    // the room hears the new counts after whatever the earlier changes sent it (one outbox, in order).
    expect((await rsvp(second, 'declined')).statusCode).toBe(200);
    const markerHeard = (heard: typeof heardByAnonymous) =>
      heard.some((e) => e.event === 'rsvp:changed' && JSON.stringify(e.payload).includes('"goingCount":0'));
    await until(() => markerHeard(heardByAnonymous) && markerHeard(heardByBystander), 'the marker decline');

    for (const [who, heard] of [
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
    expect(JSON.stringify(heardBySecond)).not.toContain('very-secret-room');

    // Lists and calendars are public too: the link is never in them.
    for (const who of [null, bystander]) {
      for (const url of ['/api/v1/events?limit=100', `/api/v1/events/${slug}`, `/api/v1/events/${slug}/calendar.ics`]) {
        const res = await call(who, { method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body, `${url} for ${who ? 'a member' : 'anonymous'}`).not.toContain('very-secret-room');
      }
    }
  });
});
