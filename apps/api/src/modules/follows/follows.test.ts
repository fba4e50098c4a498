import { describe, expect, it } from 'vitest';
import type { Feed, FollowState, Notification, NotificationList } from '@opsi/contracts/follows';
import { call, createTestCase, signUp, writePost, type Member } from '../../testing.ts';
import { connectSocket, listeningAppForFile } from '../../testing-sockets.ts';
import { eventually } from '../../testing-until.ts';

const { app, origin } = await listeningAppForFile();

async function feed(who: Member): Promise<Feed> {
  const res = await call(app, who, { method: 'GET', url: '/api/v1/me/feed?limit=50' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Feed>();
}

async function notifications(who: Member, query = ''): Promise<NotificationList> {
  await app.notifier.poke();
  const res = await call(app, who, { method: 'GET', url: `/api/v1/me/notifications${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<NotificationList>();
}

/** Notifications are written by whichever app holds the cursor: tests wait until they are there. */
const PATIENCE = { every: 100 };

describe('follows', () => {
  it('is idempotent and race-safe: 20 parallel follows make one row and one notification', async () => {
    const [fan, star] = await Promise.all([signUp(app), signUp(app)]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => call(app, fan, { method: 'PUT', url: `/api/v1/follows/person/${star.handle}` })),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const rows = await app.database.kysely
      .selectFrom('follows')
      .selectAll()
      .where('user_id', '=', fan.user.id)
      .execute();
    expect(rows).toHaveLength(1);
    const state = (
      await call(app, null, { method: 'GET', url: `/api/v1/follows/person/${star.handle}` })
    ).json<FollowState>();
    expect(state).toEqual({ type: 'person', key: star.handle, following: false, followerCount: 1 });
    const told = await eventually(
      () => notifications(star),
      (n) => n.items.length > 0,
      'the new follower notification',
      PATIENCE,
    );
    expect(told.items).toHaveLength(1);
    expect(told.items[0]).toMatchObject({ kind: 'new_follower', count: 1, actors: [{ handle: fan.handle }] });
    // Unfollow is idempotent too.
    for (let i = 0; i < 2; i += 1) {
      const res = await call(app, fan, { method: 'DELETE', url: `/api/v1/follows/person/${star.handle}` });
      expect(res.json<FollowState>()).toMatchObject({ following: false, followerCount: 0 });
    }
  });

  it('refuses what cannot be followed', async () => {
    const me = await signUp(app);
    expect((await call(app, null, { method: 'PUT', url: '/api/v1/follows/country/FR' })).statusCode).toBe(401);
    expect((await call(app, me, { method: 'PUT', url: '/api/v1/follows/planet/FR' })).statusCode).toBe(400);
    expect((await call(app, me, { method: 'PUT', url: '/api/v1/follows/country/XX' })).statusCode).toBe(404);
    expect((await call(app, me, { method: 'PUT', url: `/api/v1/follows/person/${me.handle}` })).statusCode).toBe(422);
    expect(
      (
        await call(app, me, {
          method: 'PUT',
          url: '/api/v1/follows/theme/open-government',
          headers: { 'sec-fetch-site': 'cross-site' },
        })
      ).statusCode,
    ).toBe(403);
    const lowercase = await call(app, me, { method: 'PUT', url: '/api/v1/follows/country/br' });
    expect(lowercase.json<FollowState>()).toMatchObject({ key: 'BR', following: true });
    const mine = (await call(app, me, { method: 'GET', url: '/api/v1/me/follows' })).json<{
      items: { label: string }[];
    }>();
    expect(mine.items.map((i) => i.label)).toEqual(['Brazil']);
  });
});

describe('the feed', () => {
  it('shows what is new in what you follow, with the reason; unfollowing removes it; private things never show', async () => {
    const [reader, writer] = await Promise.all([signUp(app), signUp(app)]);
    const slug = await createTestCase(app, { countries: ['HM'], themes: ['justice'] });
    await call(app, reader, { method: 'PUT', url: '/api/v1/follows/theme/justice' });
    const p = await writePost(app, writer, slug, 'A new idea about *courts*');
    await call(app, writer, { method: 'PUT', url: `/api/v1/posts/${p.id}/reactions/like` });
    const mine = await writePost(app, reader, slug, 'My own post stays out of my feed');
    let items = (await feed(reader)).items;
    const item = items.find((i) => i.objectType === 'post' && i.objectId === p.id);
    expect(item).toMatchObject({
      verb: 'created',
      actor: { handle: writer.handle },
      reasons: [{ type: 'theme', key: 'justice', label: 'Justice' }],
      url: `/cases/${slug}#post-${p.id}`,
      excerpt: 'A new idea about courts',
    });
    expect(items.some((i) => i.objectId === mine.id)).toBe(false);
    expect(items.every((i) => i.verb === 'created' || i.verb === 'cancelled')).toBe(true);
    // Newest first.
    const ids = items.map((i) => BigInt(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    await call(app, reader, { method: 'DELETE', url: '/api/v1/follows/theme/justice' });
    items = (await feed(reader)).items;
    expect(items.some((i) => i.objectId === p.id)).toBe(false);
    // Following the case itself, or the person, brings it back with that reason.
    await call(app, reader, { method: 'PUT', url: `/api/v1/follows/person/${writer.handle}` });
    items = (await feed(reader)).items;
    expect(items.find((i) => i.objectId === p.id)?.reasons).toEqual([
      { type: 'person', key: writer.handle, label: `Member ${writer.handle}` },
    ]);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/me/feed' })).statusCode).toBe(401);
  });
});

describe('notifications', () => {
  it('tells the author of a post about replies (grouped) and mentioned members, live and only them', async () => {
    const [author, replier1, replier2, bystander] = await Promise.all([
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
    ]);
    const slug = await createTestCase(app);
    const [mySocket, otherSocket] = await Promise.all([
      connectSocket(origin, { who: author }),
      connectSocket(origin, { who: bystander }),
    ]);
    const live: Notification[] = [];
    const leaked: Notification[] = [];
    mySocket.on('notification:created', (n: Notification) => live.push(n));
    otherSocket.on('notification:created', (n: Notification) => leaked.push(n));

    const root = await writePost(app, author, slug, 'What do you think?');
    await writePost(app, replier1, slug, { body: 'Interesting', parentId: root.id });
    await writePost(app, replier2, slug, { body: 'Agreed', parentId: root.id });
    await writePost(app, replier1, slug, { body: `Also, @${author.handle} see this`, parentId: root.id });
    const list = await eventually(
      () => notifications(author, '?unread=true'),
      (n) => n.items.some((i) => i.kind === 'reply' && i.count === 3),
      'the grouped reply notification',
      PATIENCE,
    );
    const reply = list.items.find((i) => i.kind === 'reply')!;
    expect(reply).toMatchObject({
      count: 3,
      title: `Test case ${slug}`,
      url: expect.stringContaining(`/cases/${slug}#post-`),
    });
    expect(reply.actors.map((a) => a.handle)).toEqual([replier1.handle, replier2.handle]);
    expect(list.unreadCount).toBe(1);
    await eventually(
      async () => live,
      (l) => l.some((n) => n.kind === 'reply' && n.count === 3),
      'the live reply notification',
      PATIENCE,
    );
    expect(leaked).toEqual([]);
    // Mark read; the next reply starts a new group.
    const read = await call(app, author, {
      method: 'POST',
      url: '/api/v1/me/notifications/read',
      payload: { all: true },
    });
    expect(read.json()).toEqual({ unreadCount: 0 });
    await writePost(app, replier2, slug, { body: 'One more', parentId: root.id });
    const after = await eventually(
      () => notifications(author, '?unread=true'),
      (n) => n.items.length === 1,
      'the new reply group',
      PATIENCE,
    );
    expect(after.items[0]).toMatchObject({ kind: 'reply', count: 1 });
    // A mention of someone who is not the author.
    await writePost(app, replier1, slug, `@${bystander.handle} you should see this`);
    const mentioned = await eventually(
      () => notifications(bystander),
      (n) => n.items.length > 0,
      'the mention',
      PATIENCE,
    );
    expect(mentioned.items[0]).toMatchObject({ kind: 'mention', actors: [{ handle: replier1.handle }] });
  });

  it('tells followers of a case, its countries, themes and author about new posts, grouped per case', async () => {
    const [author, caseFan, countryFan, themeFan, authorFan, stranger] = await Promise.all([
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
    ]);
    const slug = await createTestCase(app, { countries: ['AQ'], themes: ['open-government'] });
    const follow = (who: Member, type: string, key: string) =>
      call(app, who, { method: 'PUT', url: `/api/v1/follows/${type}/${key}` });
    await follow(caseFan, 'case', slug);
    await follow(countryFan, 'country', 'AQ');
    await follow(themeFan, 'theme', 'open-government');
    await follow(authorFan, 'person', author.handle);
    // The author follows their own case: never told about their own posts.
    await follow(author, 'case', slug);

    await writePost(app, author, slug, 'First news from Antarctica');
    await writePost(app, author, slug, 'Second news');
    await writePost(app, author, slug, 'Third news');
    for (const fan of [caseFan, countryFan, themeFan, authorFan]) {
      const list = await eventually(
        () => notifications(fan, '?unread=true'),
        (n) => n.items.some((i) => i.kind === 'new_post' && i.count === 3),
        'the new post notifications',
        PATIENCE,
      );
      const mine = list.items.filter((i) => i.kind === 'new_post' && i.url === `/cases/${slug}`);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ count: 3, title: `Test case ${slug}`, actors: [{ handle: author.handle }] });
    }
    // A reply to the case fan's own post is a reply, not also a new post.
    const own = await writePost(app, caseFan, slug, 'My question');
    await writePost(app, author, slug, { body: 'My answer', parentId: own.id });
    const fanList = await eventually(
      () => notifications(caseFan, '?unread=true'),
      (n) => n.items.some((i) => i.kind === 'reply'),
      'the reply notification',
      PATIENCE,
    );
    expect(fanList.items.find((i) => i.kind === 'new_post' && i.url === `/cases/${slug}`)?.count).toBe(3);
    expect((await notifications(stranger)).items).toEqual([]);
    // The author was told about the case fan's post only, never about their own three; they posted
    // in the thread, so they watch it: told as a post in a thread they watch (issue 14).
    const authorPosts = (await notifications(author)).items.filter((i) => i.url.startsWith(`/cases/${slug}`));
    expect(authorPosts.map((i) => i.kind)).toEqual(['watched_post']);
    expect(authorPosts[0]).toMatchObject({ count: 1, actors: [{ handle: caseFan.handle }] });
  });

  it('follows preferences: off means no notification', async () => {
    const [author, replier] = await Promise.all([signUp(app), signUp(app)]);
    const prefs = await call(app, author, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'reply', channel: 'off' }], digest: 'daily' },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect(prefs.json<{ kinds: { kind: string; channel: string }[]; digest: string }>()).toMatchObject({
      digest: 'daily',
    });
    const slug = await createTestCase(app);
    const root = await writePost(app, author, slug, 'Quiet please');
    await writePost(app, replier, slug, { body: 'Sorry', parentId: root.id });
    await writePost(app, replier, slug, `@${author.handle} but this mention still counts`);
    const list = await eventually(
      () => notifications(author),
      (n) => n.items.length > 0,
      'the mention notification',
      PATIENCE,
    );
    expect(list.items.map((i) => i.kind)).toEqual(['mention']);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/me/notifications' })).statusCode).toBe(401);
  });
});
