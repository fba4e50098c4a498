/**
 * The events emails' test kit: two app instances (two nodes) polling one Postgres job queue, and
 * an in-process SMTP server (a real SMTP conversation) catching what they send. Bindings are live:
 * startNodes (in beforeAll) sets them; a test may replace a node in `nodes` (a restart).
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDetail } from '@opsi/contracts/events';
import type { NotificationList } from '@opsi/contracts/follows';
import { call, createTestApp, signUp, signUpAs, uniqueSlug } from '../../../testing.ts';
import { startMailCatcher } from '../../../testing-mail.ts';
import { EVENT_JOB_KINDS } from './service.ts';

export type Member = Awaited<ReturnType<typeof signUp>>;

export const DAY = 24 * 60 * 60 * 1000;
export const ORIGIN = 'https://network.example';
export let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
const dirs: string[] = [];
/** The two nodes: both poll the one queue. */
export const nodes: FastifyInstance[] = [];
export let organiser: Member;

// ---- the two nodes and the mail server ----

export async function startNode(): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'opsi-event-jobs-'));
  dirs.push(dir);
  return createTestApp({
    JOBS: 'true',
    JOBS_KINDS: EVENT_JOB_KINDS.join(','),
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    DATA_DIR: dir,
    PUBLIC_ORIGIN: ORIGIN,
  });
}

export async function startNodes(): Promise<void> {
  inbox = await startMailCatcher();
  nodes.push(await startNode(), await startNode());
  organiser = await signUpAs(nodes[0]!, 'organiser');
}

export async function stopNodes(): Promise<void> {
  for (const node of nodes) await node.close();
  await inbox.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

// ---- helpers ----

export const address = (m: Member) => `${m.handle}@example.org`;
/** Every email to a member. */
export const allMailsTo = (m: Member) => inbox.received.filter((r) => r.to.includes(address(m)));
/** The confirmations of a member's own answers (going, waitlisted): confirmations.test.ts reads those. */
const CONFIRMATION =
  /^(?:You are going to|You are on the waitlist for|Vous participez à|Vous êtes sur la liste d’attente de) /;
/** The emails to a member about what happened without them (all but the confirmations of their own answers). */
export const mailsTo = (m: Member) => allMailsTo(m).filter((r) => !CONFIRMATION.test(r.subject));

export async function newEvent(
  overrides: Partial<{
    startsAt: Date;
    capacity: number | null;
    mode: 'in_person' | 'online' | 'hybrid';
    venue: string;
  }> = {},
): Promise<EventDetail> {
  const starts = overrides.startsAt ?? new Date(Date.now() + 30 * DAY);
  const mode = overrides.mode ?? 'hybrid';
  const res = await call(nodes[0]!, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: `Open budgets forum ${uniqueSlug('t')}`,
      slug: uniqueSlug('ev'),
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode,
      ...(mode === 'online' ? {} : { venue: overrides.venue ?? 'Hôtel de Ville', address: '1 place de Paris' }),
      ...(mode === 'in_person' ? {} : { onlineUrl: 'https://meet.example/open-budgets' }),
      capacity: overrides.capacity === undefined ? null : overrides.capacity,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<EventDetail>();
}

export async function answer(m: Member, slug: string, status: 'going' | 'interested' | 'declined') {
  const res = await call(nodes[0]!, m, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ status: string; ticketCode: string | null }>();
}

export async function members(n: number): Promise<Member[]> {
  const out: Member[] = [];
  for (let i = 0; i < n; i += 1) out.push(await signUp(nodes[0]!));
  return out;
}

export async function notifications(app: FastifyInstance, m: Member, kind: string) {
  const list = (
    await call(app, m, { method: 'GET', url: '/api/v1/me/notifications?limit=100' })
  ).json<NotificationList>();
  return list.items.filter((i) => i.kind === kind);
}

/** Makes this event's day-before reminder job due now, as if the day before had come. */
export async function dayBefore(app: FastifyInstance, eventSlug: string) {
  const event = await app.database.kysely
    .selectFrom('events')
    .select(['id', 'starts_at'])
    .where('slug', '=', eventSlug)
    .executeTakeFirstOrThrow();
  const key = `${event.id}:${event.starts_at.toISOString()}`;
  const job = await app.database.kysely
    .selectFrom('jobs')
    .select(['run_at', 'done_at'])
    .where('kind', '=', 'event.reminders')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  // Scheduled for 24 hours before the start, and not run yet.
  expect(job.run_at.getTime()).toBe(event.starts_at.getTime() - DAY);
  expect(job.done_at).toBeNull();
  await app.database.kysely
    .updateTable('jobs')
    .set({ run_at: new Date() })
    .where('kind', '=', 'event.reminders')
    .where('key', '=', key)
    .execute();
  return event.id;
}
