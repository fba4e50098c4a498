/**
 * Migrations are backward compatible for one release (README "Upgrades"): the newest migration is
 * applied while the code from before it still serves. The previous release's code is taken from
 * git (the tree of the commit before the one that added the newest migration: apps/api, packages,
 * db), started as a real process on a database of its own (it migrates it to its own newest, the
 * second newest here) with the installed dependencies, and made to answer a fixed round of
 * requests that touch most tables (sign-up, sign-in, posts, replies, reactions, mutes, follows,
 * RSVPs, notifications, the feed). Then this tree's migrator applies the newest migration under it,
 * and the same round must still be answered 2xx, by the same old process.
 *
 * What it proves: the old release's queries for those requests (and its background readers: the
 * outbox, the notifier) work on the new schema. It proves nothing about requests outside the round.
 * It needs the git history of the newest migration (a shallow clone fails here, saying so).
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { createDatabase } from '@opsi/db/database';
import { migrateToLatest, migrationsFolder } from '@opsi/db/migrator';
import { call, GOOD_PASSWORD, nextAddress, sessionCookie, testDatabaseUrl, uniqueSlug } from './testing.ts';
import { startServer } from './testing-processes.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SLUG = 'my-france-2022'; // a demo case (SEED_DEMO)

const newest = readdirSync(migrationsFolder)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .at(-1)!
  .replace(/\.ts$/, '');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const addedIn = git('log', '--diff-filter=A', '--format=%H', '-1', '--', `db/migrations/${newest}.ts`);
if (!addedIn) throw new Error(`no commit adds db/migrations/${newest}.ts: this test needs the git history`);

// The previous release: the tree before the newest migration, on this tree's dependencies (but
// its own workspace packages).
const old = mkdtempSync(join(tmpdir(), 'opsi-previous-'));
execSync(`git archive ${addedIn}^ package.json apps/api packages db | tar -x -C ${old}`, { cwd: ROOT });
/** The migrations of this tree that the previous release does not have, in the order they run. */
const migrationNames = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));
const lacking = migrationNames(migrationsFolder)
  .filter((name) => !migrationNames(join(old, 'db', 'migrations')).includes(name))
  .sort();
mkdirSync(join(old, 'node_modules', '@opsi'), { recursive: true });
for (const name of readdirSync(join(ROOT, 'node_modules'))) {
  if (name !== '@opsi') symlinkSync(join(ROOT, 'node_modules', name), join(old, 'node_modules', name));
}
for (const [name, dir] of [
  ['api', 'apps/api'],
  ['contracts', 'packages/contracts'],
  ['db', 'packages/db'],
  ['common', 'packages/common'],
]) {
  if (existsSync(join(old, dir!))) symlinkSync(join(old, dir!), join(old, 'node_modules', '@opsi', name!));
}

// A database of its own, empty: the old release creates its schema.
const name = `opsi_compat_${process.pid}`;
const maintenance = new URL(testDatabaseUrl());
maintenance.pathname = '/postgres';
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  await client.query(statement).finally(() => client.end());
}
await admin(`CREATE DATABASE "${name}"`);
const url = new URL(testDatabaseUrl());
url.pathname = `/${name}`;

afterAll(async () => {
  rmSync(old, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

/** The round of requests: each one's label and status. */
async function round(origin: string): Promise<[string, number][]> {
  const seen: [string, number][] = [];
  const ask = async (label: string, cookie: string | null, request: Parameters<typeof call>[2]) => {
    const res = await call(origin, cookie ? { cookie } : null, request);
    seen.push([label, res.statusCode]);
    return res;
  };
  const signUp = async () => {
    const handle = uniqueSlug('compat');
    const res = await ask('sign up', null, {
      method: 'POST',
      url: '/api/v1/auth/signup',
      remoteAddress: nextAddress(),
      payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD, displayName: `Compat ${handle}`, handle },
    });
    return { handle, cookie: sessionCookie(res) };
  };
  const author = await signUp();
  const reader = await signUp();
  await ask('sign in', null, {
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: nextAddress(),
    payload: { email: `${reader.handle}@example.org`, password: GOOD_PASSWORD },
  });
  await ask('me', author.cookie, { url: '/api/v1/me' });
  await ask('cases', author.cookie, { url: '/api/v1/cases?country=FR' });
  const post = await ask('post', author.cookie, {
    method: 'POST',
    url: `/api/v1/cases/${SLUG}/posts`,
    payload: { body: `A post from the previous release, @${reader.handle}` },
  });
  const postId = post.json<{ id: string }>().id;
  await ask('reply', reader.cookie, {
    method: 'POST',
    url: `/api/v1/cases/${SLUG}/posts`,
    payload: { body: 'A reply', parentId: postId },
  });
  await ask('thread', reader.cookie, { url: `/api/v1/cases/${SLUG}/posts` });
  await ask('reaction', reader.cookie, { method: 'PUT', url: `/api/v1/posts/${postId}/reactions/like` });
  await ask('mute', reader.cookie, { method: 'PUT', url: `/api/v1/me/mutes/cases/${SLUG}` });
  await ask('follow', reader.cookie, { method: 'PUT', url: '/api/v1/follows/country/FR' });
  const events = await ask('events', reader.cookie, { url: '/api/v1/events' });
  const event = events.json<{ items: { slug: string }[] }>().items[0];
  expect(event, 'a demo event to answer').toBeDefined();
  await ask('rsvp', reader.cookie, {
    method: 'PUT',
    url: `/api/v1/events/${event!.slug}/rsvp`,
    payload: { status: 'going' },
  });
  await ask('notifications', author.cookie, { url: '/api/v1/me/notifications' });
  await ask('feed', reader.cookie, { url: '/api/v1/me/feed' });
  return seen;
}

const succeeded = (seen: [string, number][]) => seen.map(([label, status]) => [label, status < 300]);

it(`the previous release keeps serving once ${lacking.join(' and ')} ${lacking.length > 1 ? 'are' : 'is'} applied under it`, async () => {
  const previous = await startServer({ DATABASE_URL: url.toString(), SEED_DEMO: 'true', NEW_MEMBER_DAYS: '0' }, old);
  const before = await round(previous.origin);
  expect(succeeded(before), JSON.stringify(before)).toEqual(before.map(([label]) => [label, true]));

  const database = await createDatabase({ databaseUrl: url.toString(), dataDir: '' });
  try {
    const applied = await migrateToLatest(database.kysely);
    // The newest, and any other the previous release lacks (two added side by side on branches).
    expect(applied.results?.map((r) => `${r.migrationName} ${r.status}`)).toEqual(
      lacking.map((name) => `${name} Success`),
    );
  } finally {
    await database.close();
  }

  const after = await round(previous.origin);
  expect(succeeded(after), JSON.stringify(after)).toEqual(after.map(([label]) => [label, true]));
  expect(previous.child.exitCode).toBeNull();
  expect((await previous.stop()).code).toBe(0);
  console.info(
    `migration compatibility: ${newest} applied under the code of ${addedIn.slice(0, 8)}^; ${after.length} requests 2xx before and after`,
  );
}, 180_000);
