/**
 * The API test kit, part one: an app on the test run's PostgreSQL (API only, quiet), its clock,
 * members signed up through the API, and requests made as one of them (`call`, `writePost`), in
 * process (`app.inject`) or over HTTP to a server started elsewhere (an origin). The other parts:
 * testing-until.ts (waiting with a deadline), testing-sockets.ts (Socket.IO and stream clients),
 * testing-mail.ts (the mail a test app sends).
 */
import { afterAll, expect, inject } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import type { Clock } from './platform/clock.ts';
import { AppError } from './platform/errors.ts';
import type { Role } from '@opsi/contracts/accounts';
import type { Post } from '@opsi/contracts/discussions';
import type { Executor } from '@opsi/db/executor';
import * as accounts from './modules/accounts/repository.ts';
import { forgetHiddenPost, rememberUnhiddenPost } from './modules/discussions/visibility/service.ts';

/** This test file's own database (tests/setup/database-per-file.ts), a copy of the migrated one. */
export function testDatabaseUrl(): string {
  return process.env.OPSI_TEST_DATABASE_URL ?? inject('databaseUrl');
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    SERVE_WEB: 'false',
    // TEST_LOG_LEVEL=error shows a failing request's logged error (e.g. the cause of a 500).
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'true',
    // Jobs run only in the files about them, which turn them on.
    JOBS: 'false',
    // No new-member period: tests of other rules post as established members; the new-member
    // limits have their own tests (limits/new-members.test.ts), which set NEW_MEMBER_DAYS.
    NEW_MEMBER_DAYS: '0',
    ...overrides,
  });
}

export interface TestAppOptions {
  /** The clock the app's rules run on (a `testClock` to move time by hand); the real time by default. */
  clock?: Clock;
}

/** An app on this test file's database, configured by `overrides` (environment variables). */
export async function createTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(overrides), ...(options.clock ? { clock: options.clock } : {}) });
  app.addHook('onClose', async () => {
    openApps.delete(app);
  });
  await app.ready();
  openApps.add(app);
  return app;
}

const openApps = new Set<FastifyInstance>();

/**
 * Waits until every app of this process has heard what the database's commits so far changed: the
 * invalidation bus (sessions, members, readers' states), for tests that change rows behind the
 * apps' backs, as `npm run admin` or a job would, and then read through an app at once; and each
 * app's outbox reader, which drops the public cache's pages an activity touches (a reaction through
 * one node changes the counts the other node's cached page shows).
 */
export async function invalidationsHeard(): Promise<void> {
  await Promise.all([...openApps].map((app) => app.invalidations.sync()));
  await Promise.all([...openApps].map((app) => app.activities.poke()));
}

/**
 * The app of a whole test file, closed after its last test: `const app = await appForFile()` at the
 * top of the file (top-level await), instead of a `let` set in beforeAll and closed in afterAll.
 */
export async function appForFile(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  const app = await createTestApp(overrides, options);
  afterAll(() => app.close());
  return app;
}

/** Starts `app` on a free loopback port (for sockets and streams); returns its origin, `http://127.0.0.1:<port>`. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** A clock that stands still until a test moves it: a `Clock` (pass it to `createTestApp`) with hands. */
export interface TestClock extends Clock {
  /** Moves the clock to `at`. */
  set(at: Date | string): void;
  /** Moves the clock on (or back, when negative) by `ms` milliseconds; returns the new time. */
  advance(ms: number): Date;
}

/** A `TestClock` showing `start` (the real time when created, by default, so it agrees with the database). */
export function testClock(start: Date | string = new Date()): TestClock {
  let time = new Date(start).getTime();
  return Object.assign(() => new Date(time), {
    set(at: Date | string) {
      time = new Date(at).getTime();
    },
    advance(ms: number) {
      time += ms;
      return new Date(time);
    },
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let counter = 0;

let addresses = 0;
/** A fresh client address (documentation range 2001:db8::/32), so per-address limits do not mix tests. */
export function nextAddress(): string {
  addresses += 1;
  return `2001:db8::${process.pid.toString(16)}:${addresses.toString(16)}`;
}

export const GOOD_PASSWORD = 'correct horse battery staple 42';

/** Where a request goes: an app in this process (`app.inject`), or the origin of a server running elsewhere (`fetch`). */
export type Target = FastifyInstance | string;

/** Who makes a request: a member (their session cookie goes with it), or nobody. */
export type Who = { cookie: string } | null;

/** A request as `app.inject` takes it; over HTTP, `remoteAddress` is sent as X-Forwarded-For. */
export interface Request {
  method?: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

/** An answer over HTTP, read as `app.inject`'s are. */
export interface Reply {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[]>;
  json<T = unknown>(): T;
}

/** A request as `who`: their session cookie is sent, before any headers the request gives. */
export function call(app: FastifyInstance, who: Who, options: InjectOptions | Request): Promise<LightMyRequestResponse>;
export function call(target: Target, who: Who, options: Request): Promise<Reply>;
export async function call(
  target: Target,
  who: Who,
  options: InjectOptions | Request,
): Promise<Reply | LightMyRequestResponse> {
  const cookie = who ? { cookie: who.cookie } : {};
  if (typeof target !== 'string') {
    return target.inject({ ...options, headers: { ...cookie, ...options.headers } } as InjectOptions);
  }
  const { method = 'GET', url, payload, headers = {}, remoteAddress } = options as Request;
  const text = payload === undefined || typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await fetch(`${target}${url}`, {
    method,
    headers: {
      ...cookie,
      ...(typeof payload === 'object' && payload !== null ? { 'content-type': 'application/json' } : {}),
      ...(remoteAddress ? { 'x-forwarded-for': remoteAddress } : {}),
      ...headers,
    },
    ...(text === undefined ? {} : { body: text }),
  });
  const body = await res.text();
  const all: Record<string, string | string[]> = Object.fromEntries(res.headers);
  all['set-cookie'] = res.headers.getSetCookie();
  return { statusCode: res.status, body, headers: all, json: <T>() => JSON.parse(body) as T };
}

/**
 * Signs a new member up through the API (from an address of their own); returns the session cookie
 * to send back. Their address counts as verified (as if they had used the emailed link), so tests
 * of other rules get the emails they expect; `unverified: true` keeps it unconfirmed. On a remote
 * target (an origin) the address stays unconfirmed: those tests send no email.
 */
export async function signUp(
  target: Target,
  overrides: Partial<{
    email: string;
    handle: string;
    displayName: string;
    password: string;
    unverified: boolean;
    /** The sign-up page's language (`lang`), which becomes the member's. */
    lang: 'en' | 'fr';
  }> = {},
) {
  const handle = overrides.handle ?? uniqueSlug('member');
  const res = await call(target, null, {
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: nextAddress(),
    payload: {
      email: overrides.email ?? `${handle}@example.org`,
      password: overrides.password ?? GOOD_PASSWORD,
      displayName: overrides.displayName ?? `Member ${handle}`,
      handle,
      ...(overrides.lang ? { lang: overrides.lang } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const user = res.json<{ user: { id: string; handle: string; role: string } }>().user;
  if (typeof target !== 'string' && !overrides.unverified) {
    // What using the emailed link does (accounts/verification): the address is confirmed.
    await target.database.kysely
      .updateTable('users')
      .set({ email_verified_at: new Date() })
      .where('id', '=', user.id)
      .execute();
  }
  return {
    user,
    cookie: sessionCookie(res),
    handle,
  };
}

/** A member signed up by `signUp`. */
export type Member = Awaited<ReturnType<typeof signUp>>;

/** Signs in through the API from `remoteAddress` (a fresh address by default); the answer, whatever it is. */
export function signIn(
  app: FastifyInstance,
  email: string,
  password = GOOD_PASSWORD,
  remoteAddress = nextAddress(),
): Promise<LightMyRequestResponse> {
  return call(app, null, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
}

/** Writes a post in a case's thread as `who`: a body, or the whole payload (a reply's parentId, a clientId). Expects 201. */
export async function writePost(
  target: Target,
  who: Who,
  slug: string,
  post: string | Record<string, unknown>,
): Promise<Post> {
  const res = await call(target, who, {
    method: 'POST',
    url: `/api/v1/cases/${slug}/posts`,
    payload: typeof post === 'string' ? { body: post } : post,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Post>();
}

/** `session=<token>` from a response's Set-Cookie. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : [raw];
  const found = all.map(String).find((c) => /^(?:__Host-)?session=[a-z2-7]+/.test(c));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(raw)}`);
  return found.split(';')[0]!;
}
/** A slug no other test uses. */
export function uniqueSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`.slice(0, 40);
}

/**
 * Gives a member a role, as `npm run admin -- set-role` does; false when no member has the handle.
 * Resolves once every app of this process has heard of it (their sessions carry the new role).
 */
export async function setRole(db: Executor, handle: string, role: Role): Promise<boolean> {
  const changed = await accounts.setRole(db, handle, role);
  await invalidationsHeard();
  return changed;
}

/** Signs a member up, then gives them a role (as `npm run admin -- set-role` would). */
export async function signUpAs(app: FastifyInstance, role: 'member' | 'organiser' | 'moderator' | 'admin') {
  const member = await signUp(app);
  if (role !== 'member') await setRole(app.database.kysely, member.handle, role);
  return { ...member, user: { ...member.user, role } };
}

/** Members signed up at once, one per role given (`signUpAs`), in that order. */
export function signUpAll<const R extends readonly Role[]>(
  app: FastifyInstance,
  ...roles: R
): Promise<{ -readonly [K in keyof R]: Member }> {
  return Promise.all(roles.map((role) => signUpAs(app, role))) as Promise<{ -readonly [K in keyof R]: Member }>;
}

/** Awaits `promise`, expecting it to fail with an AppError of `code`; returns that error. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** A case of its own for a test (so counts and threads do not mix between tests). */
export async function createTestCase(
  app: FastifyInstance,
  overrides: Partial<{ countries: string[]; themes: string[]; title: string }> = {},
): Promise<string> {
  const admin = await signUpAs(app, 'admin');
  const slug = uniqueSlug('case');
  await app.cases.create(
    { id: admin.user.id, role: 'admin' },
    {
      slug,
      title: overrides.title ?? `Test case ${slug}`,
      summary: 'A case created by a test.',
      // Heard Island: no seeded case is there, so tests counting real countries are not disturbed.
      countries: overrides.countries ?? ['HM'],
      themes: overrides.themes ?? ['digital-government'],
      year: 2026,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  );
  return slug;
}

/**
 * Hides a post as a moderator's hide does, straight in the database: sets `hidden_at` and
 * `hidden_reason` and calls forgetHiddenPost in the same transaction. The real way is the
 * moderation endpoint (POST /api/v1/moderation/posts/:id/hidden), which also writes the activity
 * that empties every node's public cache: here the cache is emptied directly instead.
 */
export async function hidePost(app: FastifyInstance, id: string, reason = 'hidden by a test'): Promise<void> {
  await app.database.kysely.transaction().execute(async (trx) => {
    const hidden = await trx
      .updateTable('posts')
      .set({ hidden_at: new Date(), hidden_reason: reason })
      .where('id', '=', id)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    if (hidden.numUpdatedRows) await forgetHiddenPost(trx, id);
  });
  app.publicCache.clear();
}

/** Shows a hidden post again, as an unhide does (DELETE on the moderation endpoint is the real way). */
export async function unhidePost(app: FastifyInstance, id: string): Promise<void> {
  await app.database.kysely.transaction().execute(async (trx) => {
    const shown = await trx
      .updateTable('posts')
      .set({ hidden_at: null, hidden_reason: null })
      .where('id', '=', id)
      .where('hidden_at', 'is not', null)
      .executeTakeFirst();
    if (shown.numUpdatedRows) await rememberUnhiddenPost(trx, id);
  });
  app.publicCache.clear();
}
