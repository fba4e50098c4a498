/**
 * How long things last, on the app's clock (`createTestApp(env, { clock })`): sessions (30 idle
 * days, 90 at most), reset links (an hour), email-change links (a day) and the sign-in failure
 * window (15 minutes). The test moves the clock; nothing waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  call,
  createTestApp,
  GOOD_PASSWORD,
  nextAddress,
  signIn,
  signUp,
  testClock,
  uniqueSlug,
  type Member,
} from '../../testing.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const clock = testClock();
let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({}, { clock });
});
afterAll(async () => {
  await app.close();
});

const me = (who: Member) => call(app, who, { method: 'GET', url: '/api/v1/me' });

describe('sessions', () => {
  it('end after 30 idle days', async () => {
    const member = await signUp(app);
    clock.advance(30 * DAY - MINUTE);
    // Used just in time: good for 30 more days from now.
    expect((await me(member)).statusCode).toBe(200);
    clock.advance(30 * DAY + MINUTE);
    expect((await me(member)).statusCode).toBe(401);
  });

  it('are renewed by use, but end after 90 days whatever the use', async () => {
    const member = await signUp(app);
    for (let day = 20; day <= 80; day += 20) {
      clock.advance(20 * DAY);
      const used = await me(member);
      expect(used.statusCode, `day ${day}`).toBe(200);
      expect(String(used.headers['set-cookie']), `renewed on day ${day}`).toMatch(/session=[a-z2-7]/);
    }
    clock.advance(10 * DAY);
    expect((await me(member)).statusCode).toBe(401);
  });
});

describe('links sent by email', () => {
  it('a reset link works for an hour', async () => {
    const { handle } = await signUp(app);
    const usable = async (token: string) =>
      (await call(app, null, { method: 'GET', url: `/api/v1/auth/password-reset/${token}` })).json<{
        valid: boolean;
      }>().valid;
    const link = await app.accounts.requestReset(`${handle}@example.org`);
    clock.advance(HOUR - MINUTE);
    expect(await usable(link!.token)).toBe(true);
    clock.advance(2 * MINUTE);
    expect(await usable(link!.token)).toBe(false);
  });

  it('an email-change link works for a day', async () => {
    const member = await signUp(app);
    const fresh = `${uniqueSlug('moved')}@example.org`;
    const change = await app.accounts.requestEmailChange(member.user.id, fresh, GOOD_PASSWORD);
    const pending = async () =>
      (await call(app, member, { method: 'GET', url: '/api/v1/me/email' })).json<{ pendingEmail: string | null }>()
        .pendingEmail;
    clock.advance(DAY - MINUTE);
    expect(await pending()).toBe(fresh);
    clock.advance(2 * MINUTE);
    expect(await pending()).toBeNull();
    const confirm = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/email-confirm',
      payload: { token: change.token },
      remoteAddress: nextAddress(),
    });
    expect(confirm.statusCode).toBe(422);
  });
});

describe('the sign-in failure window', () => {
  it('a spent budget is refused for the rest of its 15 minutes, then open again', async () => {
    const { handle } = await signUp(app);
    const from = nextAddress();
    const login = (password: string) => signIn(app, `${handle}@example.org`, password, from);
    for (let i = 0; i < 5; i += 1) expect((await login(`wrong guess ${i}`)).statusCode).toBe(401);
    clock.advance(5 * MINUTE);
    const refused = await login(GOOD_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(10 * 60));
    clock.advance(10 * MINUTE);
    expect((await login(GOOD_PASSWORD)).statusCode).toBe(200);
  });
});
