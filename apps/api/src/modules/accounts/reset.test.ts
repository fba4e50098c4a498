/**
 * Password resets: the request does the same work whether or not the email has an account (the
 * email goes from the job queue, after the response), and every password change, reset use and
 * email change kills every outstanding reset link of the member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PostgresQueryCompiler, type KyselyPlugin } from 'kysely';
import { createDatabase, type Database } from '@opsi/db/database';
import { buildApp } from '../../app.ts';
import {
  call,
  createTestApp,
  GOOD_PASSWORD,
  nextAddress,
  signIn,
  signUp,
  testConfig,
  testDatabaseUrl,
} from '../../testing.ts';
import { sessionIdOf } from '../../plugins/session.ts';
import { outboxMails, tempDataDir } from '../../testing-mail.ts';

const dataDir = tempDataDir('reset');
const KINDS = 'email.password_reset';

/** Every statement the app sends while `recording` is on, as SQL text. */
const statements: string[] = [];
let recording = false;
const compiler = new PostgresQueryCompiler();
const recorder: KyselyPlugin = {
  transformQuery({ node, queryId }) {
    if (recording) statements.push(compiler.compileQuery(node, queryId).sql);
    return node;
  },
  transformResult: async ({ result }) => result,
};

let database: Database;
/** A node that runs no jobs, its database spied on. */
let quiet: FastifyInstance;
/** A node that runs the account email jobs, writing emails to dataDir/outbox. */
let app: FastifyInstance;

beforeAll(async () => {
  const raw = await createDatabase({ databaseUrl: testDatabaseUrl(), dataDir });
  database = { ...raw, kysely: raw.kysely.withPlugin(recorder) };
  quiet = await buildApp({ config: testConfig({ DATA_DIR: dataDir }), database });
  await quiet.ready();
  app = await createTestApp({ DATA_DIR: dataDir, JOBS: 'true', JOBS_KINDS: KINDS });
});
afterAll(async () => {
  await Promise.all([quiet.close(), app.close()]);
  await database.close();
});

const emailsTo = (to: string) => outboxMails(dataDir, to);

function requestReset(node: FastifyInstance, email: string) {
  return node.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    payload: { email },
    remoteAddress: nextAddress(),
  });
}

/** Asks for a reset link and returns its token, once the job has mailed it. */
async function resetToken(email: string): Promise<string> {
  const before = emailsTo(email).length;
  expect((await requestReset(app, email)).statusCode).toBe(202);
  await app.jobs.poke();
  const mails = emailsTo(email);
  expect(mails.length).toBe(before + 1);
  return /\/reset\/([a-z2-7]{32})/.exec(mails.at(-1)!)![1]!;
}

function confirm(token: string, newPassword: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    payload: { token, newPassword },
    remoteAddress: nextAddress(),
  });
}

async function usable(token: string): Promise<boolean> {
  return (await app.inject(`/api/v1/auth/password-reset/${token}`)).json<{ valid: boolean }>().valid;
}

describe('asking for a reset link', () => {
  it('runs the same statements for a known and an unknown email, and sends nothing on the request path', async () => {
    const { handle } = await signUp(quiet);
    const known = `${handle}@example.org`;
    const run = async (email: string) => {
      statements.length = 0;
      recording = true;
      const res = await requestReset(quiet, email);
      recording = false;
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ status: 'sent_if_known' });
      return [...statements];
    };
    await run('warm-up@example.org');
    const forKnown = await run(known);
    const forUnknown = await run(`nobody-${handle}@example.org`);
    expect(forKnown).toEqual(forUnknown);
    expect(forKnown).toHaveLength(1);
    expect(forKnown[0]).toMatch(/^insert into "jobs"/);
    // Nothing was mailed and no link made while answering: that is the job's work.
    expect(emailsTo(known)).toHaveLength(0);
    const resets = await database.kysely
      .selectFrom('password_resets as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select('r.id')
      .where('u.handle', '=', handle)
      .execute();
    expect(resets).toHaveLength(0);

    // A node that runs jobs mails the link for the known email, and nothing for the unknown one.
    await app.jobs.poke();
    expect(emailsTo(known)).toHaveLength(1);
    expect(emailsTo(known)[0]).toMatch(/\/reset\/[a-z2-7]{32}/);
    expect(emailsTo(`nobody-${handle}@example.org`)).toHaveLength(0);
  });

  it('mails the link in the member’s language, whatever page it was asked from', async () => {
    const french = await signUp(app, { lang: 'fr' });
    const english = await signUp(app);
    for (const [handle, lang] of [
      [french.handle, 'en'],
      [english.handle, 'fr'],
    ] as const) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { email: `${handle}@example.org`, lang },
        remoteAddress: nextAddress(),
      });
    }
    await app.jobs.poke();
    expect(emailsTo(`${french.handle}@example.org`).at(-1)).toMatch(/\/fr\/reset\/[a-z2-7]{32}/);
    expect(emailsTo(`${english.handle}@example.org`).at(-1)).toMatch(/\/reset\/[a-z2-7]{32}/);
    expect(emailsTo(`${english.handle}@example.org`).at(-1)).not.toMatch(/\/fr\/reset\//);
  });
});

describe('what kills outstanding reset links', () => {
  it('using one link kills its siblings', async () => {
    const { handle } = await signUp(app);
    const email = `${handle}@example.org`;
    const [first, second, third] = [await resetToken(email), await resetToken(email), await resetToken(email)];
    expect(await usable(first)).toBe(true);
    expect(await usable(third)).toBe(true);
    expect((await confirm(second, 'a brand new passphrase 9')).statusCode).toBe(204);
    expect(await usable(first)).toBe(false);
    expect(await usable(third)).toBe(false);
    const late = await confirm(first, 'another new passphrase 10');
    expect(late.statusCode).toBe(422);
    expect(late.json().error.details[0].field).toBe('token');
  });

  it('a password change kills every outstanding link', async () => {
    const { handle, cookie } = await signUp(app);
    const token = await resetToken(`${handle}@example.org`);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'a changed passphrase 11' },
    });
    expect(changed.statusCode).toBe(204);
    expect(await usable(token)).toBe(false);
    expect((await confirm(token, 'an attacker passphrase 12')).statusCode).toBe(422);
  });
});

describe('password reset by email', () => {
  function latestEmail(to: string): string {
    const texts = emailsTo(to);
    if (!texts.length) throw new Error(`no email to ${to}`);
    return texts.at(-1)!;
  }
  /** The member's sessions: 200 while the cookie's session lives, 401 once it is gone. */
  const me = (cookie: string) => call(app, { cookie }, { url: '/api/v1/me/sessions' });

  it('mails a single-use link valid for an hour, which sets the password and signs out everywhere', async () => {
    const { handle, cookie } = await signUp(app);
    const email = `${handle}@example.org`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email },
      remoteAddress: '198.51.100.30',
    });
    expect(res.statusCode).toBe(202);
    await app.jobs.poke();
    const message = latestEmail(email);
    expect(message).toContain('Subject: Reset your password');
    const token = /\/reset\/([a-z2-7]{32})/.exec(message.replace(/=\r?\n/g, ''))?.[1];
    expect(token).toBeDefined();
    expect((await app.inject(`/api/v1/auth/password-reset/${token}`)).json()).toEqual({ valid: true });

    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, newPassword: 'qwerty123456' },
    });
    expect(weak.statusCode).toBe(422);
    // The weak attempt did not use the token up.
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, newPassword: 'a brand new passphrase 9' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await me(cookie)).statusCode).toBe(401);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, newPassword: 'yet another passphrase 10' },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details[0].field).toBe('token');
    expect((await signIn(app, email, 'a brand new passphrase 9', '198.51.100.31')).statusCode).toBe(200);
  });

  it('refuses an expired link, and answers the same for unknown emails', async () => {
    const { handle } = await signUp(app, { lang: 'fr' });
    const email = `${handle}@example.org`;
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email, lang: 'fr' },
      remoteAddress: '198.51.100.32',
    });
    await app.jobs.poke();
    const message = latestEmail(email);
    expect(message).toMatch(/Subject: =\?UTF-8\?|Subject: R/);
    const token = /\/fr\/reset\/([a-z2-7]{32})/.exec(message.replace(/=\r?\n/g, ''))![1]!;
    await app.database.kysely
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1) })
      .where('id', '=', sessionIdOf(token))
      .execute();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, newPassword: 'a brand new passphrase 9' },
    });
    expect(res.statusCode).toBe(422);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: 'nobody-at-all@example.org' },
      remoteAddress: '198.51.100.32',
    });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual({ status: 'sent_if_known' });
  });
});
