/** Signing up and signing in through the API: the cookie, the stored hash, the password rules, the limits. */
import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import {
  appForFile,
  call,
  createTestApp,
  GOOD_PASSWORD,
  nextAddress,
  sessionCookie,
  signIn,
  signUp,
  uniqueSlug,
} from '../../testing.ts';
import { sessionIdOf } from '../../plugins/session.ts';

const app = await appForFile();

const db = () => app.database.kysely;
/** The member's sessions: 200 while the cookie's session lives. */
const me = (cookie: string) => call(app, { cookie }, { url: '/api/v1/me/sessions' });
const login = (email: string, password: string, remoteAddress: string) => signIn(app, email, password, remoteAddress);

describe('sign-up', () => {
  it('creates the account, signs in with an HttpOnly SameSite=Lax cookie, and stores only the token hash', async () => {
    const handle = uniqueSlug('new');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD, displayName: 'Ada Lovelace', handle },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      user: { id: expect.any(String), handle, displayName: 'Ada Lovelace', role: 'member' },
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = sessionCookie(res);
    const token = cookie.split('=')[1]!;
    expect(token).toMatch(/^[a-z2-7]{32}$/); // 160 bits
    const stored = await db().selectFrom('sessions').select('id').where('id', '=', sessionIdOf(token)).execute();
    expect(stored).toHaveLength(1);
    const raw = await db().selectFrom('sessions').select('id').where('id', '=', token).execute();
    expect(raw).toHaveLength(0);
    expect((await me(cookie)).statusCode).toBe(200);
    const whoami = await app.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(whoami.statusCode).toBe(200);
    expect(whoami.json()).toMatchObject({
      user: { handle, displayName: 'Ada Lovelace', role: 'member' },
      profile: { handle, displayName: 'Ada Lovelace', themes: [], links: [] },
      email: `${handle}@example.org`,
    });
    expect((await app.inject('/api/v1/me')).statusCode).toBe(401);
  });

  it('refuses a taken email or handle with 409 naming the field', async () => {
    const { handle } = await signUp(app);
    const sameEmail = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: {
        email: `${handle.toUpperCase()}@EXAMPLE.org`,
        password: GOOD_PASSWORD,
        displayName: 'X',
        handle: uniqueSlug('other'),
      },
    });
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().error.details).toEqual([{ field: 'email', code: 'taken', message: expect.any(String) }]);
    const sameHandle = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: `${uniqueSlug('x')}@example.org`, password: GOOD_PASSWORD, displayName: 'X', handle },
    });
    expect(sameHandle.statusCode).toBe(409);
    expect(sameHandle.json().error.details[0].field).toBe('handle');
  });

  it('applies the password rules: length 12–256 of anything, no common passwords, no truncation', async () => {
    const attempt = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextAddress(),
        payload: { email: `${uniqueSlug('pw')}@example.org`, password, displayName: 'P', handle: uniqueSlug('pw') },
      });
    const short = await attempt('elevenchars');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].field).toBe('password');
    expect((await attempt('x'.repeat(257))).statusCode).toBe(400);
    for (const common of ['123qweasdzxc', 'qwerty123456', 'password1234!', 'iloveyouiloveyou', 'aaaaaaaaaaaaaaaa']) {
      const res = await attempt(common);
      expect(res.statusCode, common).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'rule_violation', details: [{ field: 'password' }] });
      expect(res.json().error.message).toMatch(/common/);
    }
    // Any Unicode, no composition rules: spaces and emoji are fine.
    expect((await attempt('mot de passe très sûr 🌍🔑')).statusCode).toBe(201);
    // No truncation: a 256-character password differs from its 255-character prefix.
    const long = 'é'.repeat(255) + 'z';
    const { handle } = await signUp(app, { password: long });
    expect((await login(`${handle}@example.org`, 'é'.repeat(255), '198.51.100.90')).statusCode).toBe(401);
    expect((await login(`${handle}@example.org`, long, '198.51.100.90')).statusCode).toBe(200);
  });

  it('hashes with argon2id m=19456 t=2 p=1', async () => {
    const { handle } = await signUp(app);
    const row = await db()
      .selectFrom('users')
      .select('password_hash')
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('never answers a 5xx to naughty strings in any field', async () => {
    for (const s of (naughty as string[]).slice(0, 200)) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: nextAddress(),
        payload: { email: s, password: s, displayName: s, handle: s },
      });
      expect(res.statusCode, JSON.stringify(s)).toBeLessThan(500);
      const loginRes = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: s || 'x', password: s || 'y' },
        remoteAddress: '198.51.100.77',
      });
      expect(loginRes.statusCode, JSON.stringify(s)).toBeLessThan(500);
    }
  });
});

describe('sign-in', () => {
  it('answers 401 with the same message for an unknown email and a wrong password', async () => {
    const { handle } = await signUp(app);
    const unknown = await login('nobody-here@example.org', GOOD_PASSWORD, '198.51.100.2');
    const wrong = await login(`${handle}@example.org`, 'not the password at all', '198.51.100.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('takes similar time for an unknown email and a wrong password (both verify an argon2 hash)', async () => {
    const { handle } = await signUp(app);
    const time = async (email: string) => {
      const start = performance.now();
      await login(email, 'wrong password here', '198.51.100.3');
      return performance.now() - start;
    };
    // Warm up, then compare medians; an unhashed path would be ~100x faster, not merely noisy.
    await time('nobody@example.org');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      unknown.push(await time(`nobody-${i}@example.org`));
      wrong.push(await time(`${handle}@example.org`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 5);
  });

  it('issues a new token at every sign-in and accepts the email case-insensitively', async () => {
    const { handle, cookie: first } = await signUp(app);
    const res = await login(`${handle.toUpperCase()}@Example.ORG`, GOOD_PASSWORD, '198.51.100.4');
    expect(res.statusCode).toBe(200);
    const second = sessionCookie(res);
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(200);
    expect((await me(second)).statusCode).toBe(200);
  });

  it('limits attempts per account from an address without locking the owner out elsewhere', async () => {
    const { handle } = await signUp(app);
    const email = `${handle}@example.org`;
    const attacker = '203.0.113.50';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login(email, `wrong guess number ${i}`, attacker)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await login(email, GOOD_PASSWORD, attacker);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('rate_limited');
    // The owner, from their own address, signs in.
    expect((await login(email, GOOD_PASSWORD, '192.0.2.10')).statusCode).toBe(200);
  });

  it('limits sign-in attempts per address across accounts', async () => {
    const address = '203.0.113.99';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1)
      statuses.push((await login(`nobody-${i}@example.org`, 'wrong password 123', address)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('limits sign-ups per address', async () => {
    const limited = await createTestApp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const handle = uniqueSlug('burst');
      const res = await limited.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: '203.0.113.200',
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD, displayName: 'B', handle },
      });
      statuses.push(res.statusCode);
    }
    await limited.close();
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
