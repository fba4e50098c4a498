/**
 * Email verification: the sign-up mails a link in the member's language; until it is used no
 * notification email and no digest goes to the address (password resets still do); the link works
 * once; an address taken through an email change counts as verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, createTestApp, createTestCase, signUp, writePost, type Member } from '../../../testing.ts';
import { startMailCatcher } from '../../../testing-mail.ts';
import { eventually, jobsDone } from '../../../testing-until.ts';

const KINDS = ['email.verification', 'email.notification', 'email.password_reset'];
let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
let app: FastifyInstance;
beforeAll(async () => {
  inbox = await startMailCatcher();
  app = await createTestApp({
    JOBS: 'true',
    JOBS_KINDS: KINDS.join(','),
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    ABUSE_LIMITS: 'off',
  });
});
afterAll(async () => {
  await app.close();
  await inbox.close();
});

const to = (who: Member) => inbox.received.filter((m) => m.to.includes(`${who.handle}@example.org`));
const tokenIn = (text: string) => /verify-email\?token=([a-z2-7]{32})/.exec(text)?.[1];

/** Sets a member's "mention" notifications to "email now". */
async function emailMentions(who: Member) {
  const res = await call(app, who, {
    method: 'PATCH',
    url: '/api/v1/me/notification-prefs',
    payload: { kinds: [{ kind: 'mention', channel: 'email' }] },
  });
  expect(res.statusCode).toBe(200);
}

describe('email verification', () => {
  it('mails a link at sign-up, in the member’s language, and nothing else until it is used', async () => {
    const handle = `fr-${Date.now().toString(36)}`;
    const res = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: {
        email: `${handle}@example.org`,
        password: 'correct horse battery staple 42',
        displayName: 'Zoé',
        handle,
        lang: 'fr',
      },
    });
    expect(res.statusCode).toBe(201);
    const zoe = {
      handle,
      cookie: /^(?:__Host-)?session=[a-z2-7]+/.exec(String(res.headers['set-cookie']))![0],
    } as Member;
    await jobsDone([app], KINDS);
    const [mail] = await eventually(
      () => to(zoe),
      (m) => m.length === 1,
      'the verification mail',
    );
    expect(mail!.subject).toBe('Confirmez votre adresse électronique');
    expect(mail!.text).toContain('/fr/verify-email?token=');
    expect((await call(app, zoe, { url: '/api/v1/me' })).json()).toMatchObject({ emailVerified: false });

    // A mention set to "email now": the notification is written, no email goes.
    await emailMentions(zoe);
    const writer = await signUp(app);
    const slug = await createTestCase(app);
    await writePost(app, writer, slug, `Bonjour @${handle}`);
    await jobsDone([app], KINDS);
    const listed = await call(app, zoe, { url: '/api/v1/me/notifications' });
    expect(listed.json<{ items: { kind: string }[] }>().items.map((n) => n.kind)).toEqual(['mention']);
    expect(to(zoe)).toHaveLength(1);

    // A password reset still goes.
    await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: `${handle}@example.org` },
    });
    await jobsDone([app], KINDS);
    await eventually(
      () => to(zoe),
      (m) => m.length === 2,
      'the reset mail',
    );

    // The link verifies the address, once; then the next mention is mailed.
    const token = tokenIn(mail!.text)!;
    const used = await call(app, null, { method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(used.statusCode).toBe(200);
    expect(used.json()).toEqual({ email: `${handle}@example.org`, verified: true });
    const again = await call(app, null, { method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details[0]).toMatchObject({ field: 'token', code: 'link_invalid' });
    expect((await call(app, zoe, { url: '/api/v1/me' })).json()).toMatchObject({ emailVerified: true });
    await writePost(app, writer, slug, `Encore @${handle}`);
    await jobsDone([app], KINDS);
    await eventually(
      () => to(zoe),
      (m) => m.length === 3,
      'the mention mail',
    );
  });

  it('sends a new link on request (the older one dies), and nothing once verified', async () => {
    const ana = await signUp(app, { unverified: true });
    await jobsDone([app], KINDS);
    const first = await eventually(
      () => to(ana),
      (m) => m.length === 1,
      'the sign-up mail',
    );
    const resend = await call(app, ana, { method: 'POST', url: '/api/v1/me/email/verification' });
    expect(resend.statusCode).toBe(202);
    expect(resend.json()).toEqual({ status: 'sent' });
    const both = await eventually(
      () => to(ana),
      (m) => m.length === 2,
      'the second link',
    );
    expect(both[1]!.subject).toBe('Confirm your email address');
    const old = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token: tokenIn(first[0]!.text) },
    });
    expect(old.statusCode).toBe(422);
    const fresh = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token: tokenIn(both[1]!.text) },
    });
    expect(fresh.statusCode).toBe(200);
    const done = await call(app, ana, { method: 'POST', url: '/api/v1/me/email/verification' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ status: 'already_verified' });
    expect(to(ana)).toHaveLength(2);
    expect((await call(app, null, { method: 'POST', url: '/api/v1/me/email/verification' })).statusCode).toBe(401);
  });

  it('counts an address confirmed through an email change as verified', async () => {
    const ben = await signUp(app, { unverified: true });
    const newEmail = `${ben.handle}-new@example.org`;
    const asked = await call(app, ben, {
      method: 'POST',
      url: '/api/v1/me/email',
      payload: { email: newEmail, currentPassword: 'correct horse battery staple 42' },
    });
    expect(asked.statusCode).toBe(202);
    const [confirm] = await eventually(
      () => inbox.received.filter((m) => m.to.includes(newEmail)),
      (m) => m.length === 1,
      'the confirmation mail',
    );
    const token = /confirm-email\/([a-z2-7]{32})/.exec(confirm!.text)![1];
    expect(
      (await call(app, null, { method: 'POST', url: '/api/v1/auth/email-confirm', payload: { token } })).statusCode,
    ).toBe(200);
    expect((await call(app, ben, { url: '/api/v1/me' })).json()).toMatchObject({ emailVerified: true });
  });
});
