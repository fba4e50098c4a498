/**
 * Changing the email address: nothing changes until the new address confirms a single-use,
 * expiring link (stored hashed); the old address is told, in the member's language; the change
 * kills every outstanding reset link; an address taken meanwhile is a 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sessionIdOf } from '../../plugins/session.ts';
import { createTestApp, GOOD_PASSWORD, nextAddress, signIn, signUp, uniqueSlug } from '../../testing.ts';
import { outboxMails, tempDataDir } from '../../testing-mail.ts';

const dataDir = tempDataDir('email-change');
let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ DATA_DIR: dataDir, JOBS: 'true', JOBS_KINDS: 'email.password_reset' });
});
afterAll(async () => {
  await app.close();
});

const db = () => app.database.kysely;

const emailsTo = (to: string) => outboxMails(dataDir, to);

function changeEmail(cookie: string, email: string, currentPassword = GOOD_PASSWORD) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/me/email',
    headers: { cookie },
    payload: { email, currentPassword },
    remoteAddress: nextAddress(),
  });
}

function confirm(token: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/email-confirm',
    payload: { token },
    remoteAddress: nextAddress(),
  });
}

const whoami = async (cookie: string) =>
  (await app.inject({ url: '/api/v1/me', headers: { cookie } })).json<{ email: string }>().email;

/** The token in the newest confirmation email to `to`. */
function confirmToken(to: string, lang: '' | '/fr' = ''): string {
  const mail = emailsTo(to).at(-1);
  expect(mail, `a confirmation email to ${to}`).toBeDefined();
  const token = new RegExp(`${lang}/confirm-email/([a-z2-7]{32})`).exec(mail!)?.[1];
  expect(token, 'a confirmation link').toBeDefined();
  return token!;
}

describe('asking to change the email address', () => {
  it('answers 202 with the pending address and changes nothing until the new address confirms', async () => {
    const { handle, cookie } = await signUp(app);
    const old = `${handle}@example.org`;
    const fresh = `${uniqueSlug('new')}@example.org`;
    const res = await changeEmail(cookie, fresh);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ pendingEmail: fresh });

    // The account keeps its address: sign-in and /me use the old one.
    expect(await whoami(cookie)).toBe(old);
    expect((await signIn(app, old)).statusCode).toBe(200);
    expect((await signIn(app, fresh)).statusCode).toBe(401);
    const email = await app.inject({ url: '/api/v1/me/email', headers: { cookie } });
    expect(email.statusCode).toBe(200);
    expect(email.json()).toEqual({ email: old, pendingEmail: fresh });

    // The new address gets the link; the old one is told, without it.
    const token = confirmToken(fresh);
    expect(emailsTo(fresh).at(-1)).toContain('Subject: Confirm your new email address');
    const notice = emailsTo(old).at(-1)!;
    expect(notice).toContain('Subject: Your email address is being changed');
    expect(notice).toContain(fresh);
    expect(notice).not.toContain(token);

    // Only the SHA-256 of the token is stored.
    const stored = await db().selectFrom('email_changes').select('id').where('id', '=', sessionIdOf(token)).execute();
    expect(stored).toHaveLength(1);
    expect(await db().selectFrom('email_changes').select('id').where('id', '=', token).execute()).toHaveLength(0);
  });

  it('writes to both addresses in the member’s language', async () => {
    const { handle, cookie, user } = await signUp(app);
    await db().updateTable('users').set({ locale: 'fr' }).where('id', '=', user.id).execute();
    const fresh = `${uniqueSlug('fr')}@example.org`;
    expect((await changeEmail(cookie, fresh)).statusCode).toBe(202);
    expect(confirmToken(fresh, '/fr')).toMatch(/^[a-z2-7]{32}$/);
    expect(emailsTo(fresh).at(-1)).toContain('Bonjour');
    expect(emailsTo(`${handle}@example.org`).at(-1)).toContain('Bonjour');
  });

  it('refuses a wrong password (422), an address in use (409) and the same address (422), sending nothing', async () => {
    const { handle, cookie } = await signUp(app);
    const other = await signUp(app);
    const fresh = `${uniqueSlug('no')}@example.org`;
    const wrong = await changeEmail(cookie, fresh, 'not my password at all');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0].field).toBe('currentPassword');
    const taken = await changeEmail(cookie, `${other.handle.toUpperCase()}@example.org`);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details[0].field).toBe('email');
    const same = await changeEmail(cookie, `${handle.toUpperCase()}@Example.org`);
    expect(same.statusCode).toBe(422);
    expect(same.json().error.details[0].field).toBe('email');
    expect(emailsTo(fresh)).toHaveLength(0);
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie } })).json().pendingEmail).toBeNull();
  });

  it('needs a session', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      payload: { email: 'someone@example.org', currentPassword: GOOD_PASSWORD },
    });
    expect(res.statusCode).toBe(401);
    expect((await app.inject('/api/v1/me/email')).statusCode).toBe(401);
  });
});

describe('confirming the new address', () => {
  it('makes the change without a session, once; the old address is told and every reset link dies', async () => {
    const { handle, cookie } = await signUp(app);
    const old = `${handle}@example.org`;
    const fresh = `${uniqueSlug('moved')}@example.org`;
    // A reset link sent to the old address before the change.
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: old },
      remoteAddress: nextAddress(),
    });
    await app.jobs.poke();
    const resetToken = /\/reset\/([a-z2-7]{32})/.exec(emailsTo(old).at(-1)!)![1]!;

    expect((await changeEmail(cookie, fresh)).statusCode).toBe(202);
    const token = confirmToken(fresh);
    const res = await confirm(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ email: fresh });

    expect(await whoami(cookie)).toBe(fresh);
    expect((await signIn(app, fresh)).statusCode).toBe(200);
    expect((await signIn(app, old)).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie } })).json()).toEqual({
      email: fresh,
      pendingEmail: null,
    });
    const told = emailsTo(old).at(-1)!;
    expect(told).toContain('Subject: Your email address has changed');
    expect(told).toContain(fresh);

    expect((await app.inject(`/api/v1/auth/password-reset/${resetToken}`)).json()).toEqual({ valid: false });
    const reset = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: resetToken, newPassword: 'an attacker passphrase 1' },
    });
    expect(reset.statusCode).toBe(422);

    const again = await confirm(token);
    expect(again.statusCode).toBe(422);
    expect(again.json().error).toMatchObject({ code: 'rule_violation', details: [{ field: 'token' }] });
  });

  it('refuses an expired link, an unknown one and a malformed one', async () => {
    const { cookie } = await signUp(app);
    const fresh = `${uniqueSlug('late')}@example.org`;
    await changeEmail(cookie, fresh);
    const token = confirmToken(fresh);
    await db()
      .updateTable('email_changes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', sessionIdOf(token))
      .execute();
    for (const t of [token, 'a'.repeat(32), 'not-a-token']) {
      const res = await confirm(t);
      expect(res.statusCode, t).toBe(422);
      expect(res.json().error.details[0].field).toBe('token');
    }
    expect(await whoami(cookie)).not.toBe(fresh);
  });

  it('answers 409 when the new address was taken meanwhile, and changes nothing', async () => {
    const { handle, cookie } = await signUp(app);
    const wanted = uniqueSlug('wanted');
    await changeEmail(cookie, `${wanted}@example.org`);
    const token = confirmToken(`${wanted}@example.org`);
    await signUp(app, { handle: wanted, email: `${wanted}@example.org` });
    const res = await confirm(token);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].field).toBe('email');
    expect(await whoami(cookie)).toBe(`${handle}@example.org`);
  });

  it('keeps only the newest request: an earlier link dies', async () => {
    const { cookie } = await signUp(app);
    const first = `${uniqueSlug('first')}@example.org`;
    const second = `${uniqueSlug('second')}@example.org`;
    await changeEmail(cookie, first);
    const firstToken = confirmToken(first);
    await changeEmail(cookie, second);
    expect((await confirm(firstToken)).statusCode).toBe(422);
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie } })).json().pendingEmail).toBe(second);
    expect((await confirm(confirmToken(second))).statusCode).toBe(200);
    expect(await whoami(cookie)).toBe(second);
  });

  it('a password change cancels a pending change', async () => {
    const { cookie } = await signUp(app);
    const fresh = `${uniqueSlug('hijack')}@example.org`;
    await changeEmail(cookie, fresh);
    const token = confirmToken(fresh);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'a different passphrase 5' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await confirm(token)).statusCode).toBe(422);
    expect((await app.inject({ url: '/api/v1/me/email', headers: { cookie } })).json().pendingEmail).toBeNull();
  });
});
