/**
 * The operator tests' kit: `npm run admin` as a child process (awaited, so an app in the test's own
 * process can answer it meanwhile), an embedded app on a folder of its own, a pilot's data written
 * through the API (cases, a thread with a reply, an event with RSVPs, follows), and what a restore
 * or a move must bring back of it, read row by row.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { call, signUp, signUpAs, uniqueSlug, writePost } from '../testing.ts';

const script = fileURLToPath(new URL('../admin.ts', import.meta.url));

export interface AdminRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- <args>` (node admin.ts) with only `env` (and PATH) set; `input` on its standard input. */
export async function admin(args: string[], env: Record<string, string>, input = ''): Promise<AdminRun> {
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(input);
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { status, stdout, stderr };
}

/** An app on the embedded database in `dataDir` (demo cases seeded), quiet, jobs off. */
export async function embeddedApp(dataDir: string, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    config: loadConfig({
      DATA_DIR: dataDir,
      SERVE_WEB: 'false',
      LOG_LEVEL: 'silent',
      JOBS: 'false',
      NEW_MEMBER_DAYS: '0',
      ...env,
    }),
  });
  await app.ready();
  return app;
}

/** A pilot's data, through the API: a thread with a reply, an event with two RSVPs, follows; the member's handle. */
export async function writePilotData(
  app: FastifyInstance,
): Promise<{ caseSlug: string; eventSlug: string; member: string }> {
  const organiser = await signUpAs(app, 'organiser');
  const member = await signUp(app);
  const caseSlug = 'ukraine-procurement-risk-monitoring';
  const first = await writePost(app, member, caseSlug, 'First, with a **bold** word and an ü');
  await writePost(app, organiser, caseSlug, { body: 'A reply', parentId: first.id });
  const starts = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
  const eventSlug = uniqueSlug('ev');
  const created = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: 'A pilot meet-up',
      slug: eventSlug,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/pilot',
      capacity: 1,
      countries: ['FR'],
      themes: ['digital-government'],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  for (const who of [member, organiser]) {
    const res = await call(app, who, {
      method: 'PUT',
      url: `/api/v1/events/${eventSlug}/rsvp`,
      payload: { status: 'going' },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  for (const url of [`/api/v1/follows/case/${caseSlug}`, `/api/v1/follows/person/${organiser.handle}`]) {
    const res = await call(app, member, { method: 'PUT', url });
    expect(res.statusCode, res.body).toBe(200);
  }
  return { caseSlug, eventSlug, member: member.handle };
}

/** The rows a restore or a move must bring back exactly: members, cases, posts, RSVPs, follows. */
export async function pilotRows(app: FastifyInstance) {
  const db = app.database.kysely;
  return {
    users: await db
      .selectFrom('users')
      .select(['id', 'handle', 'role', 'password_hash', 'created_at'])
      .orderBy('id')
      .execute(),
    cases: await db.selectFrom('cases').selectAll().orderBy('id').execute(),
    posts: await db.selectFrom('posts').selectAll().orderBy('id').execute(),
    rsvps: await db.selectFrom('rsvps').selectAll().orderBy('event_id').orderBy('user_id').execute(),
    follows: await db
      .selectFrom('follows')
      .selectAll()
      .orderBy('user_id')
      .orderBy('target_type')
      .orderBy('target_key')
      .execute(),
  };
}
