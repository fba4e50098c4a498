/** Introductions: the routes with their authorization matrix, the limits, the notifications and the two emails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { IntroductionList } from '@opsi/contracts/introductions';
import type { NotificationList } from '@opsi/contracts/follows';
import { call, createTestApp, signUp, signUpAs, type Member } from '../../testing.ts';
import { jobsDone, notificationsWritten } from '../../testing-until.ts';
import { startMailCatcher } from '../../testing-mail.ts';
import { ask, asked, decide, follow, matchesOf, profiled } from './testing.ts';

let app: FastifyInstance;
let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
beforeAll(async () => {
  inbox = await startMailCatcher();
  app = await createTestApp({
    JOBS: 'true',
    JOBS_KINDS: 'email.introduction',
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    INTRODUCTIONS_PENDING_MAX: '2',
  });
});
afterAll(async () => {
  await app.close();
  await inbox.close();
});

const mailsTo = (who: Member) => inbox.received.filter((m) => m.to.includes(`${who.handle}@example.org`));

async function notifications(who: Member): Promise<NotificationList> {
  await notificationsWritten(app);
  return (await call(app, who, { url: '/api/v1/me/notifications' })).json<NotificationList>();
}

async function list(who: Member | null, query = ''): Promise<{ status: number; body: IntroductionList }> {
  const res = await call(app, who, { url: `/api/v1/me/introductions${query}` });
  return { status: res.statusCode, body: res.json<IntroductionList>() };
}

describe('the opt-in', () => {
  it('is off by default, set in the profile, and shown in the profile API', async () => {
    const ana = await signUp(app);
    const me = await call(app, ana, { url: '/api/v1/me' });
    expect(me.json().profile.openToIntroductions).toBe(false);
    const on = await call(app, ana, {
      method: 'PATCH',
      url: '/api/v1/me/profile',
      payload: { openToIntroductions: true },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect((await call(app, null, { url: `/api/v1/people/${ana.handle}` })).json().openToIntroductions).toBe(true);
    const bad = await call(app, ana, {
      method: 'PATCH',
      url: '/api/v1/me/profile',
      payload: { openToIntroductions: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('openToIntroductions');
  });

  it('gives no matches to a member who did not opt in, and 401 to anonymous callers', async () => {
    const closed = await profiled(app, { country: 'FR', themes: ['digital-government'], open: false });
    await profiled(app, { country: 'BR', themes: ['digital-government'] });
    expect(await matchesOf(app, closed)).toEqual({ items: [], openToIntroductions: false, countryCode: 'FR' });
    expect((await call(app, null, { url: '/api/v1/me/matches' })).statusCode).toBe(401);
    expect((await call(app, closed, { url: '/api/v1/me/matches?limit=500' })).statusCode).toBe(400);
  });
});

describe('asking for an introduction', () => {
  it('refuses anonymous callers, yourself, unknown, closed, blocked and suspended members, naming the field', async () => {
    const [ana, ben] = [await profiled(app, { country: 'FR' }), await profiled(app, { country: 'CA' })];
    const closed = await profiled(app, { country: 'CA', open: false });
    const shut = await signUp(app);
    expect((await ask(app, null, ben.handle)).statusCode).toBe(401);
    const self = await ask(app, ana, ana.handle);
    expect(self.statusCode).toBe(422);
    expect(self.json().error.details[0]).toMatchObject({ field: 'handle', code: 'cannot_introduce_self' });
    expect((await ask(app, ana, 'no-such-member')).statusCode).toBe(404);
    const notOpen = await ask(app, ana, closed.handle);
    expect(notOpen.statusCode).toBe(422);
    expect(notOpen.json().error.details[0]).toMatchObject({ field: 'handle', code: 'not_open_to_introductions' });
    const askerClosed = await ask(app, shut, ana.handle);
    expect(askerClosed.statusCode).toBe(422);
    expect(askerClosed.json().error.details[0]).toMatchObject({ field: 'openToIntroductions' });
    const blank = await ask(app, ana, ben.handle, '   ');
    expect(blank.statusCode).toBe(422);
    expect(blank.json().error.details[0]).toMatchObject({ field: 'message', code: 'blank' });
    const long = await ask(app, ana, ben.handle, 'x'.repeat(1001));
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json().error.details)).toContain('message');

    await call(app, ben, { method: 'PUT', url: `/api/v1/me/blocks/${ana.handle}` });
    for (const [from, to] of [
      [ana, ben],
      [ben, ana],
    ] as const) {
      const blocked = await ask(app, from, to.handle);
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.details[0]).toMatchObject({ field: 'handle', code: 'blocked' });
    }

    const moderator = await signUpAs(app, 'moderator');
    const gone = await profiled(app, { country: 'JP' });
    const suspend = await call(app, moderator, {
      method: 'POST',
      url: `/api/v1/moderation/people/${gone.handle}/suspension`,
      payload: { reason: 'spam', days: null },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    expect((await ask(app, ana, gone.handle)).statusCode).toBe(404);
  });

  it('notifies the member asked, limits pending requests, and never asks a pair twice (409)', async () => {
    const ana = await profiled(app, { country: 'FR' });
    const [ben, cleo, dan] = [
      await profiled(app, { country: 'CA' }),
      await profiled(app, { country: 'BR' }),
      await profiled(app, { country: 'JP' }),
    ];
    const first = await asked(app, ana, ben.handle);
    expect(first).toMatchObject({ direction: 'sent', status: 'pending', email: null, person: { handle: ben.handle } });
    const told = await notifications(ben);
    expect(told.items[0]).toMatchObject({ kind: 'introduction_requested', url: '/people/introductions' });
    expect(told.items[0]!.actors[0]!.handle).toBe(ana.handle);

    const again = await ask(app, ana, ben.handle);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0]).toMatchObject({ field: 'handle', code: 'already_asked' });
    const back = await ask(app, ben, ana.handle);
    expect(back.statusCode).toBe(409);

    await asked(app, ana, cleo.handle);
    const third = await ask(app, ana, dan.handle);
    expect(third.statusCode).toBe(422);
    expect(third.json().error.details[0]).toMatchObject({
      code: 'limit_reached',
      params: { limit: 'pending_introductions', max: 2 },
    });
    expect((await list(ana)).body).toMatchObject({ pendingSent: 2, pendingMax: 2 });

    // Declined: the pending count goes down, and the pair cannot be asked again, either way.
    expect((await decide(app, cleo, (await list(cleo)).body.items[0]!.id, 'decline')).statusCode).toBe(200);
    expect((await ask(app, ana, dan.handle)).statusCode).toBe(201);
    for (const [from, to] of [
      [ana, cleo],
      [cleo, ana],
    ] as const) {
      const declined = await ask(app, from, to.handle);
      expect(declined.statusCode).toBe(409);
      expect(declined.json().error.details[0]).toMatchObject({ code: 'introduction_declined' });
    }
  });

  it('keeps the pending limit when many requests arrive at once: exactly the limit pass', async () => {
    const ana = await profiled(app, { country: 'FR' });
    const others = await Promise.all(
      ['CA', 'BR', 'JP', 'DE', 'KE', 'IN', 'MX', 'NZ'].map((country) => profiled(app, { country })),
    );
    const answers = await Promise.all(others.map((other) => ask(app, ana, other.handle)));
    const statuses = answers.map((res) => res.statusCode);
    expect(
      statuses.filter((s) => s === 201),
      statuses.join(' '),
    ).toHaveLength(2);
    expect(
      statuses.filter((s) => s === 422),
      statuses.join(' '),
    ).toHaveLength(others.length - 2);
    for (const res of answers.filter((r) => r.statusCode === 422)) {
      expect(res.json().error.details[0]).toMatchObject({
        field: 'handle',
        code: 'limit_reached',
        params: { limit: 'pending_introductions', max: 2 },
      });
    }
    expect((await list(ana)).body).toMatchObject({ pendingSent: 2, pendingMax: 2 });
  });

  it('lifts the pending limit with ABUSE_LIMITS=off', async () => {
    const free = await createTestApp({ ABUSE_LIMITS: 'off', INTRODUCTIONS_PENDING_MAX: '1' });
    try {
      const ana = await profiled(free, { country: 'FR' });
      for (const country of ['CA', 'BR', 'JP']) {
        const other = await profiled(free, { country });
        expect((await ask(free, ana, other.handle)).statusCode).toBe(201);
      }
    } finally {
      await free.close();
    }
  });
});

describe('answering', () => {
  it('lets only the member asked accept or decline: 401 anonymous, 403 the asker, 404 anyone else, 409 twice', async () => {
    const [ana, ben] = [await profiled(app, { country: 'FR' }), await profiled(app, { country: 'CA' })];
    const stranger = await profiled(app, { country: 'BR' });
    const [moderator, admin] = [await signUpAs(app, 'moderator'), await signUpAs(app, 'admin')];
    const { id } = await asked(app, ana, ben.handle);
    for (const decision of ['accept', 'decline'] as const) {
      expect((await decide(app, null, id, decision)).statusCode).toBe(401);
      const own = await decide(app, ana, id, decision);
      expect(own.statusCode).toBe(403);
      expect(own.json().error.details[0]).toMatchObject({ field: 'id' });
      for (const other of [stranger, moderator, admin])
        expect((await decide(app, other, id, decision)).statusCode).toBe(404);
      expect((await decide(app, ben, '999999999', decision)).statusCode).toBe(404);
      expect((await decide(app, ben, 'abc', decision)).statusCode).toBe(400);
    }
    const accepted = await decide(app, ben, id, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      direction: 'received',
      email: `${ana.handle}@example.org`,
    });
    expect((await decide(app, ben, id, 'accept')).statusCode).toBe(409);
    expect((await decide(app, ben, id, 'decline')).statusCode).toBe(409);
    expect((await list(null)).status).toBe(401);
  });

  it('on accepting, emails both the other’s address and what they share, each in their language', async () => {
    const ana = await profiled(app, {
      country: 'FR',
      lang: 'fr',
      themes: ['digital-government'],
      bio: 'Budgets participatifs',
    });
    const ben = await profiled(app, { country: 'CA', themes: ['digital-government'] });
    await follow(app, ben, 'theme', 'digital-government');
    const intro = await asked(app, ana, ben.handle);
    expect((await decide(app, ben, intro.id, 'accept')).statusCode).toBe(200);
    await jobsDone([app], ['email.introduction']);

    const [toAna, toBen] = [mailsTo(ana), mailsTo(ben)];
    expect(toAna).toHaveLength(1);
    expect(toBen).toHaveLength(1);
    expect(toBen[0]!.subject).toMatch(/^Introducing Member /);
    expect(toBen[0]!.text).toContain(`${ana.handle}@example.org`);
    expect(toBen[0]!.text).toContain('Both follow “Digital government”');
    expect(toBen[0]!.text).toContain('Hello, shall we talk?');
    expect(toAna[0]!.subject).toMatch(/^Faites connaissance avec /);
    expect(toAna[0]!.text).toContain(`${ben.handle}@example.org`);
    expect(toAna[0]!.text).toContain('Vous suivez tous deux');
    expect(toAna[0]!.headers.get('reply-to')).toContain(`${ben.handle}@example.org`);

    const told = await notifications(ana);
    expect(told.items[0]).toMatchObject({ kind: 'introduction_accepted' });
    const sent = (await list(ana, '?direction=sent&status=accepted')).body.items;
    expect(sent.map((i) => [i.person.handle, i.email])).toEqual([[ben.handle, `${ben.handle}@example.org`]]);
    // A job run again sends nothing twice.
    await app.jobs.poke();
    expect(mailsTo(ana)).toHaveLength(1);
  });
});
