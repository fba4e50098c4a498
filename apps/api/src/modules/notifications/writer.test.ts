/**
 * The set-based notification writer (repository.ts) against the per-recipient one it replaced
 * (per-recipient/repository.ts), on a rich fixture: replies, mentions, blocks, mutes, the digest,
 * email and off channels, grouped counts, event notices and a first follow. Both run over the same
 * activities from the same database state, each in a transaction rolled back after a snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import { call, createTestApp, createTestCase, signUp, signUpAs, writePost, type Member } from '../../testing.ts';
import { listActivitiesAfter, latestActivityId } from '../../platform/outbox/repository.ts';
import type { Activity } from '../../platform/outbox/catalogue.ts';
import { writeNotifications, type Written } from './repository.ts';
import { writePerRecipient } from './per-recipient/repository.ts';
import { notificationsFor } from './service.ts';

let app: FastifyInstance;
let activities: Activity[];
let firstActivity: string;
let lastJob: string;
/** Members who must hear nothing: one blocked the author, one muted the thread. */
let silent: string[];
let muted: string;
/** The fixture's members by role. */
let cast: Record<'author' | 'replier' | 'fan', Member>;

beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

const db = () => app.database.kysely;

async function ok(who: Member, request: Parameters<typeof call>[2], status = 200) {
  const res = await call(app, who, request);
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** Everyone and everything the activities reach; returns after the live notifier has caught up. */
async function fixture(): Promise<void> {
  const names = ['author', 'replier', 'mentioned', 'fan', 'emailFan', 'digestFan', 'offFan'] as const;
  const more = ['blocker', 'muter', 'personFan', 'hubFan'] as const;
  const members = Object.fromEntries(
    await Promise.all([...names, ...more].map(async (name) => [name, await signUp(app)] as const)),
  ) as Record<(typeof names)[number] | (typeof more)[number], Member>;
  const { author, replier, mentioned, fan, emailFan, digestFan, offFan, blocker, muter, personFan, hubFan } = members;
  const organiser = await signUpAs(app, 'organiser');
  const [going, waitlisted, interested] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
  const slug = await createTestCase(app, { countries: ['TV'], themes: ['justice'], title: 'Tuvalu tides' });
  const other = await createTestCase(app, { countries: ['NR'], themes: ['justice'], title: 'Nauru notes' });
  for (const m of [fan, emailFan, digestFan, offFan, blocker, muter, mentioned, replier]) {
    await ok(m, { method: 'PUT', url: '/api/v1/follows/country/TV' });
  }
  await ok(hubFan, { method: 'PUT', url: '/api/v1/follows/theme/justice' });
  await ok(personFan, { method: 'PUT', url: `/api/v1/follows/person/${author.handle}` });
  const prefs = (m: Member, kinds: { kind: string; channel: string }[]) =>
    ok(m, { method: 'PATCH', url: '/api/v1/me/notification-prefs', payload: { kinds } });
  await prefs(emailFan, [{ kind: 'new_post', channel: 'email' }]);
  await prefs(digestFan, [{ kind: 'new_post', channel: 'digest' }]);
  await prefs(offFan, [{ kind: 'new_post', channel: 'off' }]);
  await prefs(mentioned, [{ kind: 'mention', channel: 'email' }]);
  await prefs(interested, [{ kind: 'event_cancelled', channel: 'off' }]);
  await prefs(waitlisted, [{ kind: 'event_changed', channel: 'in_app' }]);
  await ok(blocker, { method: 'PUT', url: `/api/v1/me/blocks/${author.handle}` });
  await ok(muter, { method: 'PUT', url: `/api/v1/me/mutes/cases/${slug}` });
  // The fan chose "normal" for the thread: being mentioned there later does not make them watch it.
  await ok(fan, { method: 'PUT', url: `/api/v1/me/threads/cases/${slug}`, payload: { level: 'normal' } });
  silent = [blocker.user.id, muter.user.id];
  cast = { author, replier, fan };
  muted = slug;
  await app.notifier.poke();

  firstActivity = await latestActivityId(db());
  const { max } = await sql<{ max: string | null }>`select max(id)::text as max from jobs`
    .execute(db())
    .then((r) => r.rows[0]!);
  lastJob = max ?? '0';
  // Posts: a root, replies (the reply wins over "new post"), mentions (of a muter and a blocker too),
  // posts in another case, and a follow of the author (a first follow notifies; the person fan
  // hears of the author's posts).
  const root = await writePost(app, author, slug, `Opening, @${mentioned.handle} @${muter.handle}`);
  await writePost(app, replier, slug, { body: 'A reply', parentId: root.id });
  await writePost(app, author, slug, { body: `@${blocker.handle} and @${fan.handle}`, parentId: root.id });
  await writePost(app, fan, slug, 'Fan talk');
  await writePost(app, author, other, 'Elsewhere');
  await writePost(app, replier, other, `Hi @${author.handle}`);
  await ok(fan, { method: 'PUT', url: `/api/v1/follows/person/${author.handle}` });
  // An event in the country, with people going, waitlisted and interested; edited, then cancelled.
  const created = await ok(
    organiser,
    {
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        title: 'Tide workshop',
        slug: `tide-${Date.now()}`,
        description: 'Come.',
        startsAt: new Date(Date.now() + 864e6).toISOString(),
        endsAt: new Date(Date.now() + 864e6 + 36e5).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'online',
        onlineUrl: 'https://meet.example.org/tide',
        capacity: 1,
        countries: ['TV'],
        themes: ['justice'],
        caseSlugs: [slug],
      },
    },
    201,
  );
  const event = created.json<EventDetail>().slug;
  await ok(going, { method: 'PUT', url: `/api/v1/events/${event}/rsvp`, payload: { status: 'going' } });
  await ok(waitlisted, { method: 'PUT', url: `/api/v1/events/${event}/rsvp`, payload: { status: 'going' } });
  await ok(interested, { method: 'PUT', url: `/api/v1/events/${event}/rsvp`, payload: { status: 'interested' } });
  const later = (ms: number) => new Date(Date.now() + 864e6 + 72e5 + ms).toISOString();
  const moved = { startsAt: later(0), endsAt: later(36e5) };
  await ok(organiser, { method: 'PATCH', url: `/api/v1/events/${event}`, payload: moved });
  await ok(organiser, { method: 'PATCH', url: `/api/v1/events/${event}`, payload: { capacity: 2 } });
  await ok(organiser, { method: 'POST', url: `/api/v1/events/${event}/cancel` });
  await app.activities.poke();
  await app.notifier.poke();
  activities = await listActivitiesAfter(db(), { afterId: firstActivity, publicOnly: false, limit: 500 });
}

type Writer = typeof writeNotifications;

interface Snapshot {
  written: string[];
  notifications: unknown[];
  jobs: string[];
  /** Who watches, leaves at normal or muted which thread (posting and mentions add "watching"). */
  levels: string[];
}

class Rollback extends Error {}

/**
 * What `writer` writes for all the fixture's activities in one batch, from the state left by
 * `prepare`, as comparable rows (ids and times left out: they differ between runs).
 */
async function snapshot(writer: Writer, prepare: 'fresh' | 'again'): Promise<Snapshot> {
  let taken: Snapshot | undefined;
  await db()
    .transaction()
    .execute(async (trx) => {
      if (prepare === 'fresh') {
        // As before the fixture's activities: their notifications, emails and follow notices gone.
        await sql`delete from notifications where activity_id > ${firstActivity}`.execute(trx);
        await sql`delete from jobs where id > ${lastJob}`.execute(trx);
        await sql`delete from follow_notices`.execute(trx);
        // Only the fixture's posts and mentions made anyone watch a thread.
        await sql`delete from thread_levels where level = 'watching'`.execute(trx);
      }
      const written: Written[] = await writer(trx, activities, notificationsFor);
      const { rows: notifications } = await sql<{ id: string; user_id: string; group_key: string }>`
        select id::text, user_id::text, kind, group_key, count, actor_ids::text, payload, activity_id::text,
          read_at is null as unread
        from notifications order by user_id, group_key, read_at nulls first, activity_id`.execute(trx);
      const name = new Map(notifications.map((n) => [n.id, `${n.user_id}/${n.group_key}`]));
      const { rows: jobs } = await sql<{ key: string; payload: { notificationId: string } }>`
        select key, payload from jobs where id > ${lastJob} and kind = 'email.notification'`.execute(trx);
      const { rows: levels } = await sql<{ row: string }>`
        select t.user_id || ' ' || c.slug || ' ' || t.level as row from thread_levels t
        join cases c on c.id = t.case_id order by 1`.execute(trx);
      taken = {
        levels: levels.map((l) => l.row),
        written: written.map((w) => `${name.get(w.id)} ${w.userId} ${w.kind} ${w.channel}`).sort(),
        notifications: notifications.map(({ id: _id, ...rest }) => rest),
        jobs: jobs.map((j) => `${name.get(j.payload.notificationId)} ${j.key.split(':')[1]}`).sort(),
      };
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return taken!;
}

describe('the set-based notification writer', () => {
  beforeAll(fixture);

  it('writes what the per-recipient writer wrote, from the state before the activities', async () => {
    const old = await snapshot(writePerRecipient, 'fresh');
    const now = await snapshot(writeNotifications, 'fresh');
    expect(now).toEqual(old);
    // The fixture reaches what it is meant to: every kind, channel and grouping below was written.
    const kinds = new Set(old.written.map((w) => w.split(' ')[2]));
    for (const kind of [
      'reply',
      'mention',
      'watched_post',
      'new_post',
      'new_event',
      'event_changed',
      'event_cancelled',
    ])
      expect(kinds, kind).toContain(kind);
    expect(kinds).toContain('new_follower');
    const channels = new Set(old.written.map((w) => w.split(' ')[3]));
    expect([...channels].sort()).toEqual(['digest', 'email', 'in_app']);
    expect(old.jobs.length).toBeGreaterThan(0);
    expect(old.notifications.some((n) => (n as { count: number }).count > 1)).toBe(true);
    // The blocker and the muter were mentioned in the thread and follow its country: the blocker
    // hears nothing from the author, the muter nothing from the thread.
    const [blocker, muter] = silent as [string, string];
    expect(old.written.filter((w) => w.startsWith(`${blocker}/mention`))).toEqual([]);
    expect(old.written.filter((w) => w.startsWith(`${muter}/`) && w.includes(muted))).toEqual([]);
    // Posting and being mentioned made members watch the thread; a chosen level and a mute stayed,
    // and a member mentioned by someone they blocked does not watch.
    const level = (id: string) => old.levels.filter((l) => l.startsWith(`${id} ${muted} `)).map((l) => l.split(' ')[2]);
    expect(level(cast.replier.user.id)).toEqual(['watching']);
    expect(level(cast.author.user.id)).toEqual(['watching']);
    expect(level(cast.fan.user.id)).toEqual(['normal']);
    expect(level(muter)).toEqual(['muted']);
    expect(level(blocker)).toEqual([]);
    // The replier watches: the fan's later post tells them as "watched_post", not "new_post".
    expect(old.written).toContain(
      `${cast.replier.user.id}/watched_post:${muted} ${cast.replier.user.id} watched_post in_app`,
    );
  });

  it('writes what the per-recipient writer wrote on top of what is there (unread groups growing)', async () => {
    const old = await snapshot(writePerRecipient, 'again');
    const now = await snapshot(writeNotifications, 'again');
    expect(now).toEqual(old);
    expect(old.written.length).toBeGreaterThan(10);
  });
});
