/**
 * The retention sweep: what is old goes (finished jobs, sent emails of past events, activities no
 * cursor or notification needs, expired sessions), what is recent or still needed stays; in
 * batches; and the sweep job is scheduled once per interval and schedules the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import { call, createTestApp, createTestCase, signUp, signUpAs, writePost } from '../../testing.ts';
import { jobsDone, notificationsWritten } from '../../testing-until.ts';
import { createRetentionService } from './service.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ JOBS: 'true', ABUSE_LIMITS: 'off', RETENTION_EVERY_MINUTES: '1440' });
});
afterAll(async () => {
  await app.close();
});

const db = () => app.database.kysely;
const rows = async <T>(statement: ReturnType<typeof sql<T>>) => (await statement.execute(db())).rows;
const ids = async (statement: ReturnType<typeof sql<{ id: string }>>) =>
  (await rows(statement)).map((r) => String(r.id)).sort();
const sweeper = (overrides: Partial<FastifyInstance['config']['retention']> = {}) =>
  createRetentionService(app.database, { ...app.config.retention, batch: 2, ...overrides });

async function job(key: string, doneDaysAgo: number | null, runInDays = 0) {
  const [row] = await rows(sql<{ id: string }>`
    insert into jobs (kind, key, run_at, payload, done_at)
    values ('email.notification', ${key}, now() + make_interval(days => ${runInDays}), '{"notificationId":"0"}',
      ${doneDaysAgo === null ? null : sql`now() - make_interval(days => ${doneDaysAgo})`})
    returning id`);
  return String(row!.id);
}

async function session(userId: string, idleDays: number, absoluteDays: number) {
  const id = randomBytes(32).toString('hex');
  await sql`insert into sessions (id, user_id, expires_at, absolute_expires_at)
    values (${id}, ${userId}, now() + make_interval(days => ${idleDays}), now() + make_interval(days => ${absoluteDays}))`.execute(
    db(),
  );
  return id;
}

async function event(organiser: Awaited<ReturnType<typeof signUpAs>>, overDaysAgo: number | null): Promise<string> {
  const starts = new Date(Date.now() + 10 * 864e5);
  const res = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: 'Retention workshop',
      slug: `ret-${randomBytes(4).toString('hex')}`,
      description: 'Come.',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 36e5).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/retention',
      capacity: 10,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const slug = res.json<EventDetail>().slug;
  if (overDaysAgo !== null) {
    await sql`update events set starts_at = now() - make_interval(days => ${overDaysAgo + 1}),
      ends_at = now() - make_interval(days => ${overDaysAgo}) where slug = ${slug}`.execute(db());
  }
  return slug;
}

async function eventEmail(slug: string, userId: string, key: string, sentDaysAgo: number | null) {
  await sql`insert into event_emails (kind, key, event_id, user_id, claimed_at, sent_at)
    select 'reminder', ${key}, id, ${userId}, now() - interval '90 days',
      ${sentDaysAgo === null ? null : sql`now() - make_interval(days => ${sentDaysAgo})`}
    from events where slug = ${slug}`.execute(db());
}

describe('the retention sweep', () => {
  it('deletes what is old, in batches, and keeps what is recent or still needed', async () => {
    const [member, other] = [await signUp(app), await signUp(app)];
    const organiser = await signUpAs(app, 'organiser');

    const oldJobs = [await job('old-1', 40), await job('old-2', 31), await job('old-3', 60), await job('old-4', 100)];
    const keptJobs = [await job('recent', 2), await job('waiting', null, 1)];

    const [past, future] = [await event(organiser, 2), await event(organiser, null)];
    await eventEmail(past, member.user.id, 'past-sent-old', 45);
    await eventEmail(past, member.user.id, 'past-sent-recent', 3);
    await eventEmail(past, member.user.id, 'past-unsent', null);
    await eventEmail(future, member.user.id, 'future-sent-old', 45);

    // Activities: posts aged 400 days; a reply that notified its parent's author (a notification
    // points at it), and the newest aged ones above a consumer's cursor that has not got there.
    const slug = await createTestCase(app);
    const root = await writePost(app, other, slug, 'Root');
    const reply = await writePost(app, member, slug, { body: 'Reply', parentId: root.id });
    const plain = [await writePost(app, member, slug, 'One'), await writePost(app, member, slug, 'Two')];
    const late = await writePost(app, member, slug, 'Late');
    await notificationsWritten(app);
    const activityOf = async (postId: string) =>
      String(
        (
          await rows(sql<{ id: string }>`select id from activities
            where object_type = 'post' and verb = 'created' and object_id = ${postId}`)
        )[0]!.id,
      );
    const [rootA, replyA, lateA] = [await activityOf(root.id), await activityOf(reply.id), await activityOf(late.id)];
    const plainA = [await activityOf(plain[0]!.id), await activityOf(plain[1]!.id)];
    await sql`update activities set created_at = now() - interval '400 days' where id <= ${lateA}`.execute(db());
    // A consumer's cursor just before the late one, in the outbox's (xid, id) order.
    await sql`insert into outbox_cursors (name, last_xid, last_id)
      select 'retention-test', xid, ${BigInt(lateA) - 1n} from activities where id = ${lateA}`.execute(db());
    const recentA = await activityOf((await writePost(app, other, slug, 'Recent')).id);
    await notificationsWritten(app);
    const replied = await rows(sql<{ id: string }>`select id from notifications where activity_id = ${replyA}`);
    expect(replied).toHaveLength(1);

    const expired = [await session(member.user.id, -1, 10), await session(member.user.id, 5, -1)];
    const valid = await session(member.user.id, 5, 10);

    const link = (tag: string) => createHash('sha256').update(`retention-${tag}`).digest('hex');
    await sql`insert into setup_links (id, expires_at, used_at, used_by) values
      (${link('expired')}, now() - interval '1 hour', null, null),
      (${link('valid')}, now() + interval '1 hour', null, null),
      (${link('used')}, now() - interval '1 hour', now() - interval '2 hours', ${member.user.id})`.execute(db());

    const pruned = await sweeper().sweep();

    expect(await ids(sql`select id from jobs where id in (${sql.join(oldJobs)})`)).toEqual([]);
    expect(await ids(sql`select id from jobs where id in (${sql.join(keptJobs)})`)).toEqual([...keptJobs].sort());
    expect(pruned.jobs).toBeGreaterThanOrEqual(oldJobs.length);

    const emails = await rows(sql<{ key: string }>`select key from event_emails order by key`);
    expect(emails.map((e) => e.key)).toEqual(['future-sent-old', 'past-sent-recent', 'past-unsent']);
    expect(pruned.eventEmails).toBe(1);

    const left = await ids(
      sql`select id from activities where id in (${sql.join([rootA, replyA, lateA, recentA, ...plainA])})`,
    );
    // The root's and the plain posts' activities went; the reply's stays for its notification,
    // the late one for the cursor behind it, the recent one for its age.
    expect(left).toEqual([replyA, lateA, recentA].sort());
    expect(pruned.activities).toBeGreaterThanOrEqual(3);

    const sessions = await ids(sql`select id from sessions where id in (${sql.join([...expired, valid])})`);
    expect(sessions).toEqual([valid]);
    // An expired link nobody used goes; one still valid, and the one used (who became admin), stay.
    const links = await ids(
      sql`select id from setup_links where id in (${sql.join(['expired', 'valid', 'used'].map(link))})`,
    );
    expect(links).toEqual([link('valid'), link('used')].sort());
    expect(pruned.setupLinks).toBe(1);
    // The member's own session (signed in by the test kit) still works.
    expect((await call(app, member, { url: '/api/v1/me/notifications' })).statusCode).toBe(200);
    await sql`delete from outbox_cursors where name = 'retention-test'`.execute(db());
  });

  it('stops after RETENTION_MAX_BATCHES batches; the next sweep goes on', async () => {
    const old = [await job('more-1', 40), await job('more-2', 40), await job('more-3', 40)];
    const first = await sweeper({ batch: 2, maxBatches: 1 }).sweep();
    expect(first.jobs).toBe(2);
    expect(await ids(sql`select id from jobs where id in (${sql.join(old)})`)).toHaveLength(1);
    const second = await sweeper({ batch: 2, maxBatches: 1 }).sweep();
    expect(second.jobs).toBe(1);
    expect(await ids(sql`select id from jobs where id in (${sql.join(old)})`)).toEqual([]);
  });

  it('is a job scheduled once per interval (the same key on every node), that schedules the next', async () => {
    const scheduled = await rows(
      sql<{
        key: string;
        run_at: Date;
      }>`select key, run_at from jobs where kind = 'retention.sweep' and done_at is null`,
    );
    expect(scheduled).toHaveLength(1);
    const next = scheduled[0]!;
    expect(next.run_at.getTime() % (1440 * 60_000)).toBe(0);
    expect(next.key).toBe(next.run_at.toISOString());
    // A second node starting schedules the same job, not another.
    const second = await createTestApp({ JOBS: 'true', RETENTION_EVERY_MINUTES: '1440' });
    await second.close();
    expect(await rows(sql`select id from jobs where kind = 'retention.sweep'`)).toHaveLength(1);

    const old = await job('before-the-run', 40);
    await sql`update jobs set run_at = now() where kind = 'retention.sweep'`.execute(db());
    await jobsDone([app], ['retention.sweep']);
    expect(await ids(sql`select id from jobs where id = ${old}`)).toEqual([]);
    const after = await rows(
      sql<{ key: string; done: boolean }>`select key, done_at is not null as done from jobs
        where kind = 'retention.sweep' order by run_at`,
    );
    expect(after.map((j) => j.done)).toEqual([true, false]);
    expect(after[1]!.key > after[0]!.key).toBe(true);
  });
});
