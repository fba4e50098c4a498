/** Reports, auto-hide, the queue, resolving, hiding by hand, and the moderators' live room. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '@opsi/contracts/common';
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { NotificationList } from '@opsi/contracts/follows';
import type { LogPage, ReportCreatedEvent, ReportPage } from '@opsi/contracts/moderation';
import {
  call,
  createTestApp,
  createTestCase,
  listen,
  signUp,
  signUpAs,
  writePost,
  type Member,
} from '../../testing.ts';
import { ack, closeSockets, connectSocket, nextEvent } from '../../testing-sockets.ts';
import { notificationsWritten } from '../../testing-until.ts';

let app: FastifyInstance;
let origin: string;
let moderator: Member;
let admin: Member;
let organiser: Member;

beforeAll(async () => {
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', REPORTS_PER_HOUR: '3', REPORTS_TO_HIDE: '2' });
  origin = await listen(app);
  [moderator, admin, organiser] = await Promise.all([
    signUpAs(app, 'moderator'),
    signUpAs(app, 'admin'),
    signUpAs(app, 'organiser'),
  ]);
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

function report(who: Member | null, payload: Record<string, unknown>) {
  return call(app, who, { method: 'POST', url: '/api/v1/reports', payload });
}
function resolve(who: Member | null, id: string, payload: Record<string, unknown>) {
  return call(app, who, { method: 'POST', url: `/api/v1/moderation/reports/${id}/resolve`, payload });
}
async function queue(who: Member): Promise<ReportPage> {
  const res = await call(app, who, { url: '/api/v1/moderation/reports?status=open&limit=100' });
  expect(res.statusCode).toBe(200);
  return res.json<ReportPage>();
}
async function thread(who: Member | null, slug: string): Promise<PostList> {
  return (await call(app, who, { url: `/api/v1/cases/${slug}/posts` })).json<PostList>();
}
async function notifications(who: Member): Promise<NotificationList['items']> {
  await notificationsWritten(app);
  return (await call(app, who, { url: '/api/v1/me/notifications' })).json<NotificationList>().items;
}
async function trust(m: Member) {
  await app.database.kysely.updateTable('users').set({ trusted_at: new Date() }).where('id', '=', m.user.id).execute();
}

describe('reporting', () => {
  it('files one open report per member and target (201, then 200 with the first), 404 for unknown targets, 422 for oneself', async () => {
    const [author, reporter] = await Promise.all([signUp(app), signUp(app)]);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'Buy cheap watches');
    const first = await report(reporter, { targetType: 'post', target: post.id, reason: 'spam', note: 'an ad' });
    expect(first.statusCode).toBe(201);
    const again = await report(reporter, { targetType: 'post', target: post.id, reason: 'other' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());

    expect((await report(reporter, { targetType: 'post', target: '999999999', reason: 'spam' })).statusCode).toBe(404);
    expect((await report(reporter, { targetType: 'person', target: 'nobody-here', reason: 'spam' })).statusCode).toBe(
      404,
    );
    expect((await report(reporter, { targetType: 'case', target: 'no-such-case', reason: 'spam' })).statusCode).toBe(
      404,
    );
    expect((await report(reporter, { targetType: 'event', target: 'no-such-event', reason: 'spam' })).statusCode).toBe(
      404,
    );
    expect((await report(reporter, { targetType: 'case', target: slug, reason: 'off_topic' })).statusCode).toBe(201);

    for (const own of [
      { targetType: 'post', target: post.id },
      { targetType: 'person', target: author.handle },
    ]) {
      const refused = await report(author, { ...own, reason: 'spam' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json<ErrorBody>().error.details?.[0]).toMatchObject({
        field: 'target',
        code: 'cannot_report_self',
      });
    }
    expect((await report(null, { targetType: 'post', target: post.id, reason: 'spam' })).statusCode).toBe(401);
    expect((await report(reporter, { targetType: 'post', target: post.id, reason: 'rude' })).statusCode).toBe(400);
  });

  it('limits reports per member (REPORTS_PER_HOUR), 429 naming reports_per_hour', async () => {
    const reporter = await signUp(app);
    const targets = await Promise.all([signUp(app), signUp(app), signUp(app), signUp(app)]);
    for (const t of targets.slice(0, 3)) {
      expect((await report(reporter, { targetType: 'person', target: t.handle, reason: 'spam' })).statusCode).toBe(201);
    }
    const refused = await report(reporter, { targetType: 'person', target: targets[3]!.handle, reason: 'spam' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'target', limit: 'reports_per_hour' });
  });

  it('hides a post reported by REPORTS_TO_HIDE distinct trusted members, logged with no actor', async () => {
    const [author, untrusted, trusted] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    await trust(trusted);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'Something awful');
    await report(untrusted, { targetType: 'post', target: post.id, reason: 'harassment' });
    await report(trusted, { targetType: 'post', target: post.id, reason: 'harassment' });
    expect((await thread(null, slug)).items[0]!.hidden).toBe(false);
    // An organiser counts as trusted: the second trusted reporter hides it.
    await report(organiser, { targetType: 'post', target: post.id, reason: 'harassment' });
    const tombstone = (await thread(null, slug)).items[0]!;
    expect(tombstone).toMatchObject({ id: post.id, hidden: true, body: '', bodyHtml: '' });
    expect(tombstone.hiddenReason).toBeUndefined();
    const own = (await thread(author, slug)).items[0]!;
    expect(own).toMatchObject({ hidden: true, body: 'Something awful', hiddenReason: 'reported by 2 members' });
    const log = (
      await call(app, moderator, { url: `/api/v1/moderation/log?targetType=post&target=${post.id}` })
    ).json<LogPage>();
    expect(log.items[0]).toMatchObject({ actor: null, action: 'hide', reason: 'reported by 2 members' });
    expect((await notifications(author)).map((n) => n.kind)).toContain('post_hidden');
  });
});

describe('the queue', () => {
  it('is for moderators and admins (401 anonymous, 403 members, authors and organisers)', async () => {
    const member = await signUp(app);
    expect((await call(app, null, { url: '/api/v1/moderation/reports' })).statusCode).toBe(401);
    for (const who of [member, organiser]) {
      expect((await call(app, who, { url: '/api/v1/moderation/reports' })).statusCode).toBe(403);
    }
    for (const who of [moderator, admin]) {
      expect((await call(app, who, { url: '/api/v1/moderation/reports' })).statusCode).toBe(200);
    }
  });

  it('groups reports by target with reasons, reporters, notes and the post in its thread with its author’s record', async () => {
    const [author, a, b] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const slug = await createTestCase(app);
    const before = await writePost(app, author, slug, 'Before');
    const post = await writePost(app, author, slug, 'The reported one');
    const after = await writePost(app, a, slug, 'After');
    await report(a, { targetType: 'post', target: post.id, reason: 'spam', note: 'link farm' });
    await report(b, { targetType: 'post', target: post.id, reason: 'off_topic' });
    const page = await queue(moderator);
    const group = page.items[0]!;
    expect(group).toMatchObject({
      targetType: 'post',
      target: post.id,
      reportCount: 2,
      reasons: { spam: 1, off_topic: 1 },
      status: 'open',
    });
    expect(group.reports.map((r) => [r.reporter?.handle, r.note])).toEqual([
      [b.handle, ''],
      [a.handle, 'link farm'],
    ]);
    expect(group.context.post?.body).toBe('The reported one');
    expect(group.context.case?.slug).toBe(slug);
    expect(group.context.thread?.map((p) => p.id)).toEqual([before.id, post.id, after.id]);
    expect(group.context.member).toMatchObject({ handle: author.handle, postCount: 2, suspension: null });
  });
});

describe('resolving', () => {
  it('hides the post in one step: every open report closed, log written, reporters and author told without who acted', async () => {
    const [author, a, b] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'Rude words');
    const { id } = (await report(a, { targetType: 'post', target: post.id, reason: 'harassment' })).json<{
      id: string;
    }>();
    await report(b, { targetType: 'post', target: post.id, reason: 'spam' });

    const watcher = await connectSocket(origin);
    expect((await ack(watcher, 'case:watch', { slug })).ok).toBe(true);
    const live = nextEvent(watcher, 'post:updated', (p) => p.id === post.id);

    const res = await resolve(moderator, id, { action: 'hide', reason: 'Personal attacks' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ action: 'hide', resolved: 2 });
    expect(await live).toMatchObject({ id: post.id, hidden: true, body: '', bodyHtml: '' });
    expect((await thread(null, slug)).items[0]).toMatchObject({ hidden: true, body: '' });
    expect((await call(app, null, { url: `/api/v1/posts/${post.id}` })).json<Post>().body).toBe('');
    expect((await call(app, author, { url: `/api/v1/posts/${post.id}` })).json<Post>()).toMatchObject({
      body: 'Rude words',
      hiddenReason: 'Personal attacks',
    });
    expect((await queue(moderator)).items.some((g) => g.target === post.id)).toBe(false);
    expect((await resolve(moderator, id, { action: 'dismiss', reason: 'again' })).statusCode).toBe(409);

    for (const reporter of [a, b]) {
      const told = (await notifications(reporter)).find((n) => n.kind === 'report_actioned');
      expect(told).toBeDefined();
      expect(told!.actors).toEqual([]);
    }
    const authorTold = (await notifications(author)).find((n) => n.kind === 'post_hidden');
    expect(authorTold).toMatchObject({ excerpt: 'Personal attacks', actors: [] });
  });

  it('dismisses (reporters told "no action"), warns (the author told why), deletes and suspends', async () => {
    const [author, reporter] = await Promise.all([signUp(app), signUp(app)]);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'Borderline');
    // A reporter each time: REPORTS_PER_HOUR is 3 here.
    const fileReport = async (by?: Member) =>
      (await report(by ?? (await signUp(app)), { targetType: 'post', target: post.id, reason: 'other' })).json<{
        id: string;
      }>().id;

    expect(
      (await resolve(moderator, await fileReport(reporter), { action: 'dismiss', reason: 'Fine' })).statusCode,
    ).toBe(200);
    expect((await notifications(reporter)).map((n) => n.kind)).toContain('report_dismissed');

    expect((await resolve(moderator, await fileReport(), { action: 'warn', reason: 'Keep it civil' })).statusCode).toBe(
      200,
    );
    expect((await notifications(author)).find((n) => n.kind === 'moderation_warning')?.excerpt).toBe('Keep it civil');

    const onCase = (await report(reporter, { targetType: 'case', target: slug, reason: 'other' })).json<{
      id: string;
    }>().id;
    const refused = await resolve(moderator, onCase, { action: 'hide', reason: 'no' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<ErrorBody>().error.details?.[0]).toMatchObject({
      field: 'action',
      code: 'action_not_applicable',
    });

    expect(
      (await resolve(moderator, await fileReport(), { action: 'delete', reason: 'Spam after all' })).statusCode,
    ).toBe(200);
    expect((await call(app, null, { url: `/api/v1/posts/${post.id}` })).json<Post>().deleted).toBe(true);
    expect((await notifications(author)).find((n) => n.kind === 'post_deleted')?.excerpt).toBe('Spam after all');

    const person = (
      await report(await signUp(app), { targetType: 'person', target: author.handle, reason: 'spam' })
    ).json<{ id: string }>().id;
    const socket = await connectSocket(origin, { who: author });
    const closed = new Promise((r) => socket.once('disconnect', r));
    const suspended = await resolve(moderator, person, { action: 'suspend', reason: 'Spam account', days: 3 });
    expect(suspended.statusCode).toBe(200);
    await closed;
    expect((await call(app, author, { url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('is for moderators and admins only', async () => {
    const [author, reporter] = await Promise.all([signUp(app), signUp(app)]);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'x');
    const { id } = (await report(reporter, { targetType: 'post', target: post.id, reason: 'spam' })).json<{
      id: string;
    }>();
    const body = { action: 'dismiss', reason: 'r' };
    expect((await resolve(null, id, body)).statusCode).toBe(401);
    for (const who of [reporter, author, organiser]) expect((await resolve(who, id, body)).statusCode).toBe(403);
    expect((await resolve(admin, '999999999', body)).statusCode).toBe(404);
    expect((await resolve(admin, id, body)).statusCode).toBe(200);
  });
});

describe('hiding by hand', () => {
  it('hides and shows a post again, live to the case room; only moderators and admins may', async () => {
    const author = await signUp(app);
    const member = await signUp(app);
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'Hide me');
    const url = `/api/v1/moderation/posts/${post.id}/hidden`;
    const payload = { reason: 'Off topic' };
    expect((await call(app, null, { method: 'POST', url, payload })).statusCode).toBe(401);
    for (const who of [member, author, organiser]) {
      expect((await call(app, who, { method: 'POST', url, payload })).statusCode).toBe(403);
    }
    const watcher = await connectSocket(origin);
    expect((await ack(watcher, 'case:watch', { slug })).ok).toBe(true);
    const hidden = nextEvent(watcher, 'post:updated', (p) => p.id === post.id && p.hidden === true);
    const res = await call(app, admin, { method: 'POST', url, payload });
    expect(res.statusCode).toBe(200);
    expect(res.json<Post>()).toMatchObject({ hidden: true, body: 'Hide me', hiddenReason: 'Off topic' });
    expect(await hidden).toMatchObject({ body: '', bodyHtml: '' });
    expect((await thread(member, slug)).items[0]).toMatchObject({ hidden: true, body: '' });
    expect((await thread(moderator, slug)).items[0]).toMatchObject({ hidden: true, body: 'Hide me' });

    const shown = nextEvent(watcher, 'post:updated', (p) => p.id === post.id && p.hidden === false);
    expect(
      (await call(app, moderator, { method: 'DELETE', url, payload: { reason: 'On reflection' } })).statusCode,
    ).toBe(200);
    expect((await shown).body).toBe('Hide me');
    expect((await thread(null, slug)).items[0]).toMatchObject({ hidden: false, body: 'Hide me' });
    expect(
      (await call(app, moderator, { method: 'POST', url: '/api/v1/moderation/posts/999999999/hidden', payload }))
        .statusCode,
    ).toBe(404);
  });
});

describe('the moderators’ live room', () => {
  it('lets moderators and admins watch and hear report:created; others are refused', async () => {
    const member = await signUp(app);
    const refusals = [
      [null, 'unauthorized'],
      [member, 'forbidden'],
      [organiser, 'forbidden'],
    ] as const;
    for (const [who, code] of refusals) {
      const s = await connectSocket(origin, { who });
      const answer = await ack(s, 'moderation:watch', { slug: 'reports' });
      expect(answer).toMatchObject({ ok: false, error: { code } });
    }
    const sockets = await Promise.all([
      connectSocket(origin, { who: moderator }),
      connectSocket(origin, { who: admin }),
    ]);
    for (const s of sockets) expect((await ack(s, 'moderation:watch', { slug: 'reports' })).ok).toBe(true);
    const author = await signUp(app);
    const heard = sockets.map((s) => nextEvent(s, 'report:created', (r) => r.target === author.handle));
    await report(member, { targetType: 'person', target: author.handle, reason: 'harassment' });
    for (const summary of await Promise.all(heard)) {
      expect(summary).toMatchObject<Partial<ReportCreatedEvent>>({
        targetType: 'person',
        target: author.handle,
        reason: 'harassment',
        reportCount: 1,
      });
    }
  });
});
