/** Test support: an app on the test run's PostgreSQL, API only, quiet. */
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import type { Role } from '@opsi/contracts/accounts';
import type { Executor } from '@opsi/db/executor';
import * as accounts from './modules/accounts/repository.ts';

/** This test file's own database (tests/setup/database-per-file.ts), a copy of the migrated one. */
export function testDatabaseUrl(): string {
  return process.env.OPSI_TEST_DATABASE_URL ?? inject('databaseUrl');
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    SERVE_WEB: 'false',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'true',
    // Jobs run only in the files about them, which turn them on.
    JOBS: 'false',
    ...overrides,
  });
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(overrides) });
  await app.ready();
  return app;
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

/** Signs a new member up through the API; returns the session cookie to send back. */
export async function signUp(
  app: FastifyInstance,
  overrides: Partial<{ email: string; handle: string; displayName: string; password: string }> = {},
) {
  const handle = overrides.handle ?? uniqueSlug('member');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: nextAddress(),
    payload: {
      email: overrides.email ?? `${handle}@example.org`,
      password: overrides.password ?? GOOD_PASSWORD,
      displayName: overrides.displayName ?? `Member ${handle}`,
      handle,
    },
  });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  return {
    user: res.json<{ user: { id: string; handle: string; role: string } }>().user,
    cookie: sessionCookie(res),
    handle,
  };
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

/** Gives a member a role, as `npm run admin -- set-role` does; false when no member has the handle. */
export function setRole(db: Executor, handle: string, role: Role): Promise<boolean> {
  return accounts.setRole(db, handle, role);
}

/** Signs a member up, then gives them a role (as `npm run admin -- set-role` would). */
export async function signUpAs(app: FastifyInstance, role: 'member' | 'organiser' | 'moderator' | 'admin') {
  const member = await signUp(app);
  if (role !== 'member') await setRole(app.database.kysely, member.handle, role);
  return { ...member, user: { ...member.user, role } };
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
