/** Who may do what on the account routes: CSRF, roles, anonymous callers, and bad input. */
import { describe, expect, it } from 'vitest';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import { appForFile, call, GOOD_PASSWORD, nextAddress, signUp, uniqueSlug } from '../../testing.ts';
import { tempDataDir } from '../../testing-mail.ts';
import { setRole } from './repository.ts';

// An email change mails the new address: to DATA_DIR/outbox.
const dataDir = tempDataDir('accounts');
const app = await appForFile({ DATA_DIR: dataDir });

const db = () => app.database.kysely;
/** The member's sessions: 200 while the cookie's session lives. */
const me = (cookie: string) => call(app, { cookie }, { url: '/api/v1/me/sessions' });

describe('CSRF', () => {
  it('refuses cross-site state changes and accepts same-origin ones', async () => {
    const { cookie } = await signUp(app);
    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('csrf_rejected');
    const sameSite = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'sec-fetch-site': 'same-site' },
    });
    expect(sameSite.statusCode).toBe(403);
    const foreignOrigin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(foreignOrigin.statusCode).toBe(403);
    expect((await me(cookie)).statusCode).toBe(200);

    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'sec-fetch-site': 'same-origin', origin: app.config.publicOrigin },
    });
    expect(sameOrigin.statusCode).toBe(204);
    // Reads are never blocked.
    expect((await app.inject({ url: '/api/v1/cases', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(
      200,
    );
  });
});

describe('roles', () => {
  it('enforces who may add a case: anonymous 401, a member proposes (202 pending), organiser/moderator/admin 201', async () => {
    const body = (slug: string) => ({
      slug,
      title: 'Role matrix case',
      summary: 'A case created to check who may create cases.',
      countries: ['CA'],
      themes: ['open-government'],
      year: 2026,
      organisation: 'Test',
      levelOfGovernment: 'national',
      stage: 'idea',
    });
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/cases', payload: body(uniqueSlug('anon')) });
    expect(anonymous.statusCode).toBe(401);
    const member = await signUp(app);
    const proposed = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { cookie: member.cookie },
      payload: body(uniqueSlug('m')),
    });
    // A member's case is a proposal: it waits for a moderator and is not published.
    expect(proposed.statusCode).toBe(202);
    expect(proposed.json()).toMatchObject({ status: 'pending' });
    const pending = proposed.json<{ slug: string }>().slug;
    expect((await app.inject({ method: 'GET', url: `/api/v1/cases/${pending}` })).statusCode).toBe(404);
    for (const role of ['organiser', 'moderator', 'admin']) {
      const person = await signUp(app);
      await setRole(db(), person.handle, role);
      const slug = uniqueSlug(role.slice(0, 3));
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: { cookie: person.cookie },
        payload: body(slug),
      });
      expect(res.statusCode, role).toBe(201);
      expect((await app.inject(`/api/v1/cases/${slug}`)).statusCode).toBe(200);
    }
  });
});

describe('authorization and bad input on every account route', () => {
  const mutating = [
    {
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'a new long passphrase 1' },
    },
    {
      method: 'POST',
      url: '/api/v1/me/email',
      payload: { email: 'someone@example.org', currentPassword: GOOD_PASSWORD },
    },
    { method: 'DELETE', url: '/api/v1/me/sessions/0123456789abcdef', payload: undefined },
    { method: 'PATCH', url: '/api/v1/me/profile', payload: { headline: 'Hello' } },
    { method: 'DELETE', url: '/api/v1/me', payload: { password: GOOD_PASSWORD, posts: 'anonymise' } },
  ] as const;

  it('answers 401 to anonymous callers on every /me route', async () => {
    for (const route of mutating) {
      const res = await app.inject({ method: route.method, url: route.url, payload: route.payload });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    expect((await app.inject('/api/v1/me')).statusCode).toBe(401);
    expect((await app.inject('/api/v1/me/export')).statusCode).toBe(401);
  });

  it('lets a member ask to change only their own email, and refuses a taken one', async () => {
    const owner = await signUp(app);
    const other = await signUp(app);
    const taken = await app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: { cookie: owner.cookie },
      payload: { email: `${other.handle}@example.org`, currentPassword: GOOD_PASSWORD },
    });
    expect(taken.statusCode).toBe(409);
    const fresh = `${uniqueSlug('moved')}@example.org`;
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: { cookie: owner.cookie },
      payload: { email: fresh, currentPassword: GOOD_PASSWORD },
    });
    // Pending until the new address confirms (email-change.test.ts), and only for the owner.
    expect(ok.statusCode).toBe(202);
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie: owner.cookie } })).json()).toEqual({
      email: `${owner.handle}@example.org`,
      pendingEmail: fresh,
    });
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie: other.cookie } })).json()).toEqual({
      email: `${other.handle}@example.org`,
      pendingEmail: null,
    });
  });

  it('never answers a 5xx to naughty strings in password, email and reset fields', async () => {
    const { cookie } = await signUp(app);
    for (const s of (naughty as string[]).slice(0, 120)) {
      const value = s || ' ';
      const responses = await Promise.all([
        app.inject({
          method: 'POST',
          url: '/api/v1/me/password',
          headers: { cookie },
          payload: { currentPassword: value, newPassword: value },
        }),
        app.inject({
          method: 'POST',
          url: '/api/v1/me/email',
          headers: { cookie },
          payload: { email: value, currentPassword: value },
        }),
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/password-reset',
          payload: { email: value },
          remoteAddress: nextAddress(),
        }),
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/password-reset/confirm',
          payload: { token: value, newPassword: value },
          remoteAddress: nextAddress(),
        }),
        app.inject({ url: `/api/v1/auth/password-reset/${encodeURIComponent(value).slice(0, 150)}` }),
      ]);
      for (const res of responses) expect(res.statusCode, JSON.stringify(s)).toBeLessThan(500);
    }
    expect((await me(cookie)).statusCode).toBe(200);
  });
});
