import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ErrorBody } from '@opsi/contracts/common';
import type { LogPage, Suspension, SuspensionList } from '@opsi/contracts/moderation';
import {
  call,
  createTestApp,
  GOOD_PASSWORD,
  listen,
  nextAddress,
  signUp,
  signUpAs,
  testClock,
  uniqueSlug,
  type Member,
} from '../../../testing.ts';
import { closeSockets, connectSocket, once } from '../../../testing-sockets.ts';
import { createStandingService } from './service.ts';
import { createAuditService } from '../../audit/service.ts';

const DAY = 24 * 60 * 60 * 1000;
const clock = testClock();
let app: FastifyInstance;
let origin: string;
let moderator: Member;
let admin: Member;

beforeAll(async () => {
  app = await createTestApp({}, { clock });
  origin = await listen(app);
  [moderator, admin] = await Promise.all([signUpAs(app, 'moderator'), signUpAs(app, 'admin')]);
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

function suspend(who: Member, handle: string, payload: unknown) {
  return call(app, who, { method: 'POST', url: `/api/v1/moderation/people/${handle}/suspension`, payload });
}

function lift(who: Member, handle: string, reason = 'Appeal accepted') {
  return call(app, who, {
    method: 'DELETE',
    url: `/api/v1/moderation/people/${handle}/suspension`,
    payload: { reason },
  });
}

function signIn(m: Member) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextAddress(),
    payload: { email: `${m.handle}@example.org`, password: GOOD_PASSWORD },
  });
}

async function logAbout(handle: string): Promise<LogPage['items']> {
  const res = await call(app, admin, { url: `/api/v1/moderation/log?targetType=person&target=${handle}` });
  expect(res.statusCode).toBe(200);
  return res.json<LogPage>().items;
}

describe('suspensions', () => {
  it('revoke every session, close the member’s sockets and refuse sign-in with 403 account_suspended and the end date', async () => {
    const member = await signUp(app);
    const second = await signIn(member);
    expect(second.statusCode).toBe(200);
    const socket = await connectSocket(origin, { who: member });
    const closed = once(socket, 'disconnect');

    const res = await suspend(moderator, member.handle, { reason: 'Repeated spam', days: 7 });
    expect(res.statusCode).toBe(200);
    const suspension = res.json<Suspension>();
    expect(suspension).toMatchObject({ handle: member.handle, reason: 'Repeated spam' });
    expect(new Date(suspension.suspendedUntil!).getTime() - new Date(suspension.suspendedAt).getTime()).toBe(7 * DAY);

    await closed;
    expect((await call(app, member, { url: '/api/v1/me' })).statusCode).toBe(401);
    const refused = await signIn(member);
    expect(refused.statusCode).toBe(403);
    const body = refused.json<ErrorBody>();
    expect(body.error.code).toBe('account_suspended');
    expect(body.error.details?.[0]).toMatchObject({
      field: 'email',
      code: 'account_suspended',
      params: { until: suspension.suspendedUntil, reason: 'Repeated spam' },
    });
    expect(refused.headers['set-cookie']).toBeUndefined();
  });

  it('tells nobody without the password that an account is suspended', async () => {
    const member = await signUp(app);
    await suspend(moderator, member.handle, { reason: 'Spam', days: null });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${member.handle}@example.org`, password: 'not the password at all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json<ErrorBody>().error.code).toBe('unauthorized');
  });

  it('until lifted (days null): no end date; lifting lets the member back in and both are in the log', async () => {
    const member = await signUp(app);
    expect(
      (await suspend(moderator, member.handle, { reason: 'Threats', days: null })).json<Suspension>().suspendedUntil,
    ).toBeNull();
    const refused = await signIn(member);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.details?.[0]?.params).toEqual({ reason: 'Threats' });

    const listed = await call(app, moderator, { url: '/api/v1/moderation/suspensions?limit=100' });
    expect(listed.json<SuspensionList>().items.map((s) => s.handle)).toContain(member.handle);

    expect((await lift(admin, member.handle)).statusCode).toBe(204);
    expect((await signIn(member)).statusCode).toBe(200);
    // Lifting again changes nothing and logs nothing.
    expect((await lift(admin, member.handle)).statusCode).toBe(204);
    const log = await logAbout(member.handle);
    expect(log.map((e) => [e.action, e.actor, e.reason])).toEqual([
      ['lift_suspension', admin.handle, 'Appeal accepted'],
      ['suspend', moderator.handle, 'Threats'],
    ]);
    const again = await call(app, moderator, { url: '/api/v1/moderation/suspensions?limit=100' });
    expect(again.json<SuspensionList>().items.map((s) => s.handle)).not.toContain(member.handle);
  });

  it('ends by itself when its days are over', async () => {
    const member = await signUp(app);
    await suspend(moderator, member.handle, { reason: 'Cooling off', days: 2 });
    expect((await signIn(member)).statusCode).toBe(403);
    clock.advance(2 * DAY + 1000);
    try {
      const back = await signIn(member);
      expect(back.statusCode).toBe(200);
      const cookie = back.headers['set-cookie'];
      expect(cookie).toBeDefined();
      expect((await call(app, { cookie: String(cookie).split(';')[0]! }, { url: '/api/v1/me' })).statusCode).toBe(200);
    } finally {
      clock.advance(-(2 * DAY + 1000));
    }
  });

  it('keeps the member’s RSVPs', async () => {
    const organiser = await signUpAs(app, 'organiser');
    const member = await signUp(app);
    const slug = uniqueSlug('ev');
    const startsAt = new Date(Date.now() + 10 * DAY);
    const created = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        title: 'Suspension and seats',
        slug,
        description: 'A seat that stays.',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'online',
        onlineUrl: 'https://meet.example.org/room',
        capacity: 5,
        countries: ['FR'],
        themes: [],
      },
    });
    expect(created.statusCode).toBe(201);
    expect(
      (await call(app, member, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status: 'going' } }))
        .statusCode,
    ).toBe(200);
    await suspend(moderator, member.handle, { reason: 'Spam', days: 3 });
    const attendees = await call(app, organiser, { url: `/api/v1/events/${slug}/attendees` });
    expect(attendees.statusCode).toBe(200);
    expect(JSON.stringify(attendees.json())).toContain(member.handle);
    const event = await call(app, null, { url: `/api/v1/events/${slug}` });
    expect(event.json<{ goingCount: number }>().goingCount).toBe(1);
  });

  it('is for moderators and admins: only an admin suspends a moderator; nobody suspends themselves', async () => {
    const member = await signUp(app);
    const otherModerator = await signUpAs(app, 'moderator');
    const organiser = await signUpAs(app, 'organiser');
    expect((await suspend(member, organiser.handle, { reason: 'x', days: 1 })).statusCode).toBe(403);
    expect((await suspend(organiser, member.handle, { reason: 'x', days: 1 })).statusCode).toBe(403);
    expect(
      (
        await call(app, null, {
          method: 'POST',
          url: `/api/v1/moderation/people/${member.handle}/suspension`,
          payload: { reason: 'x', days: 1 },
        })
      ).statusCode,
    ).toBe(401);
    expect((await suspend(moderator, otherModerator.handle, { reason: 'x', days: 1 })).statusCode).toBe(403);
    expect((await suspend(moderator, admin.handle, { reason: 'x', days: 1 })).statusCode).toBe(403);
    const self = await suspend(moderator, moderator.handle, { reason: 'x', days: 1 });
    expect(self.statusCode).toBe(422);
    expect(self.json<ErrorBody>().error.details?.[0]?.code).toBe('cannot_moderate');
    expect((await suspend(admin, otherModerator.handle, { reason: 'Abuse of the role', days: 1 })).statusCode).toBe(
      200,
    );
    expect((await lift(member, otherModerator.handle)).statusCode).toBe(403);
    expect((await call(app, member, { url: '/api/v1/moderation/suspensions' })).statusCode).toBe(403);
    expect((await call(app, organiser, { url: '/api/v1/moderation/log' })).statusCode).toBe(403);
  });

  it('names the field of bad input', async () => {
    const member = await signUp(app);
    const res = await suspend(moderator, member.handle, { reason: '', days: 0 });
    expect(res.statusCode).toBe(400);
    const fields = res.json<ErrorBody>().error.details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['reason']));
    expect((await suspend(moderator, member.handle, { reason: 'ok' })).statusCode).toBe(400);
  });
});

describe('the moderation log', () => {
  it('records role changes from the command line with no actor', async () => {
    const member = await signUp(app);
    const standing = createStandingService(app.database, { audit: createAuditService(app.database) });
    expect(await standing.setRole(null, member.handle, 'organiser', 'Runs the OPSI conference')).toBe('member');
    expect(await standing.setRole(null, 'no-such-member', 'admin')).toBeUndefined();
    const log = await logAbout(member.handle);
    expect(log[0]).toMatchObject({
      actor: null,
      action: 'set_role',
      target: member.handle,
      reason: 'Runs the OPSI conference',
      details: { from: 'member', to: 'organiser' },
    });
  });

  it('cannot be edited, deleted or emptied, even by the database owner', async () => {
    const member = await signUp(app);
    await suspend(moderator, member.handle, { reason: 'Spam', days: 1 });
    const db = app.database.kysely;
    await expect(sql`UPDATE moderation_log SET reason = 'nothing happened'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM moderation_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE moderation_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await logAbout(member.handle))[0]?.reason).toBe('Spam');
  });

  it('pages newest first with a cursor', async () => {
    const members = await Promise.all(Array.from({ length: 3 }, () => signUp(app)));
    for (const m of members) await suspend(moderator, m.handle, { reason: `r ${m.handle}`, days: 1 });
    const first = await call(app, moderator, { url: '/api/v1/moderation/log?limit=2' });
    const page = first.json<LogPage>();
    expect(page.items.map((e) => e.target)).toEqual([members[2]!.handle, members[1]!.handle]);
    const next = await call(app, moderator, { url: `/api/v1/moderation/log?limit=2&cursor=${page.nextCursor}` });
    expect(next.json<LogPage>().items[0]?.target).toBe(members[0]!.handle);
  });
});
