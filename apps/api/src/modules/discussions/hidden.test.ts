/**
 * A post hidden by a moderator (or deleted) leaks through no read path besides the thread (whose
 * tombstone is the moderation module's): search, the cases list, the feed, the hubs' Atom feeds,
 * notifications, their emails and digests, the edit history, post counts and the activity stream.
 * Its author still finds it where they see their own content (search, its history), and so do
 * moderators. Each post carries a marker word found nowhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail } from '@opsi/contracts/cases';
import type { Post, SearchResults } from '@opsi/contracts/discussions';
import type { NotificationList } from '@opsi/contracts/follows';
import {
  call,
  createTestApp,
  createTestCase,
  hidePost,
  listen,
  signUp,
  signUpAs,
  unhidePost,
  writePost,
  type Member,
} from '../../testing.ts';
import { closeSockets, openStream } from '../../testing-sockets.ts';
import { notificationsWritten, until } from '../../testing-until.ts';

let app: FastifyInstance;
let origin: string;
let author: Member;
let reader: Member;
let moderator: Member;
let slug: string;

beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
  origin = (await listen(app)).replace('http', 'ws');
  [author, reader, moderator] = await Promise.all([signUp(app), signUp(app), signUpAs(app, 'moderator')]);
  // Heard Island: only this file's cases are there, so its Atom feed shows them.
  slug = await createTestCase(app, { countries: ['HM'] });
  for (const who of [reader, moderator]) {
    const res = await call(app, who, { method: 'PUT', url: `/api/v1/follows/case/${slug}` });
    expect(res.statusCode, res.body).toBe(200);
  }
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

let markers = 0;
/** A word no other post has (letters only, so full-text search keeps it whole). */
function marker(): string {
  markers += 1;
  const letters = `${process.pid}${Date.now()}${markers}`.replace(/\d/g, (d) => 'bcdfghjklm'[Number(d)]!);
  return `zorp${letters}`;
}

async function post(who: Member, body: string, parentId?: string): Promise<Post> {
  const written = await writePost(app, who, slug, parentId ? { body, parentId } : body);
  await app.activities.poke();
  return written;
}

async function get(who: Member | null, url: string): Promise<string> {
  const res = await call(app, who, { method: 'GET', url });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.body;
}

/** Where `word` shows for `who`: the read paths other than the thread itself. */
async function whereShown(who: Member | null, word: string): Promise<string[]> {
  const shown: string[] = [];
  const search = JSON.parse(await get(who, `/api/v1/search?q=${word}`)) as SearchResults;
  if (search.items.some((i) => i.type === 'post') || search.total.posts > 0) shown.push('search');
  const cases = await get(who, `/api/v1/cases?q=${word}`);
  if (cases.includes(slug)) shown.push('cases');
  if ((await get(who, '/api/v1/countries/HM/feed.atom')).includes(word)) shown.push('atom');
  if (who) {
    if ((await get(who, '/api/v1/me/feed?limit=100')).includes(word)) shown.push('feed');
    if ((await get(who, '/api/v1/me/notifications?limit=100')).includes(word)) shown.push('notifications');
  }
  return shown;
}

async function postCount(): Promise<number> {
  return (JSON.parse(await get(null, `/api/v1/cases/${slug}`)) as CaseDetail).postCount;
}

describe('a hidden post', () => {
  it('is gone from search, the cases list, feeds, Atom and notifications for everyone but its author and moderators', async () => {
    const word = marker();
    const parent = await post(reader, 'A question from the reader.');
    const hidden = await post(author, `@${reader.handle} the answer is ${word}, in plain words.`, parent.id);
    await notificationsWritten(app);
    // Before: everywhere it should be (so the checks below can see it).
    expect(await whereShown(null, word)).toEqual(['search', 'cases', 'atom']);
    expect(await whereShown(reader, word)).toEqual(['search', 'cases', 'atom', 'feed', 'notifications']);
    const before = await postCount();

    await hidePost(app, hidden.id);

    expect(await whereShown(null, word)).toEqual([]);
    expect(await whereShown(reader, word)).toEqual([]);
    // Its author still finds it, and moderators do (the feed and Atom are the same for everyone).
    expect(await whereShown(author, word)).toEqual(['search']);
    expect(await whereShown(moderator, word)).toEqual(['search']);
    expect(await postCount()).toBe(before - 1);
    // The reader's notifications (the reply and the mention) still point at the thread, quoting nothing.
    const list = JSON.parse(await get(reader, '/api/v1/me/notifications')) as NotificationList;
    const about = list.items.filter((n) => n.url.includes(hidden.id));
    expect(about.length).toBeGreaterThan(0);
    expect(about.every((n) => n.excerpt === '')).toBe(true);
  });

  it('quotes nothing in a notification written after it was hidden', async () => {
    const word = marker();
    const hidden = await post(author, `@${reader.handle} quick: ${word}`);
    // Hidden before (or while) the notifier writes the mention: it must not quote it either way.
    await hidePost(app, hidden.id);
    await notificationsWritten(app);
    expect(await get(reader, '/api/v1/me/notifications?limit=100')).not.toContain(word);
  });

  it('is in no digest built after the hide and in no queued notification email', async () => {
    const word = marker();
    const prefs = await call(app, reader, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'mention', channel: 'email' }] },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    const hidden = await post(author, `@${reader.handle} see ${word} there`);
    await notificationsWritten(app);
    const list = JSON.parse(await get(reader, '/api/v1/me/notifications?limit=100')) as NotificationList;
    const mention = list.items.find((n) => n.kind === 'mention' && n.url.includes(hidden.id))!;
    expect((await app.digests.notificationMail(mention.id))?.text).toContain(word);
    expect((await app.digests.digestFor(reader.user.id, 'weekly'))?.mail.text).toContain(word);

    await hidePost(app, hidden.id);

    // The queued email is written when it is sent: from the notification as it is then.
    const mail = await app.digests.notificationMail(mention.id);
    expect(mail).not.toBeNull();
    expect(mail!.text).not.toContain(word);
    expect((await app.digests.digestFor(reader.user.id, 'weekly'))?.mail.text ?? '').not.toContain(word);
  });

  it('has an edit history only its author and moderators can read', async () => {
    const word = marker();
    const hidden = await post(author, `first words ${word}`);
    const edited = await call(app, author, {
      method: 'PATCH',
      url: `/api/v1/posts/${hidden.id}`,
      payload: { body: 'second words' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    await hidePost(app, hidden.id);
    const url = `/api/v1/posts/${hidden.id}/revisions`;
    for (const who of [null, reader]) {
      const res = await call(app, who, { method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(word);
    }
    expect(await get(author, url)).toContain(word);
    expect(await get(moderator, url)).toContain(word);
  });

  it('counts once: deleting a hidden post does not count it out again, an unhide counts it back', async () => {
    const before = await postCount();
    const one = await post(author, 'counted, then hidden, then deleted');
    const two = await post(author, 'counted, hidden, then shown again');
    expect(await postCount()).toBe(before + 2);
    await hidePost(app, one.id);
    await hidePost(app, two.id);
    expect(await postCount()).toBe(before);
    const res = await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${one.id}` });
    expect(res.statusCode, res.body).toBe(204);
    await app.activities.poke();
    expect(await postCount()).toBe(before);
    await unhidePost(app, two.id);
    expect(await postCount()).toBe(before + 1);
  });

  it('comes back everywhere when shown again', async () => {
    const word = marker();
    const hidden = await post(author, `@${reader.handle} back again ${word}`);
    await notificationsWritten(app);
    await hidePost(app, hidden.id);
    expect(await whereShown(reader, word)).toEqual([]);
    await unhidePost(app, hidden.id);
    expect(await whereShown(reader, word)).toEqual(['search', 'cases', 'atom', 'feed', 'notifications']);
  });
});

describe('a deleted post', () => {
  it('is gone from search, the cases list, feeds, Atom and the notifications that quoted it', async () => {
    const word = marker();
    const gone = await post(author, `@${reader.handle} soon gone ${word}`);
    await notificationsWritten(app);
    expect(await whereShown(reader, word)).toEqual(['search', 'cases', 'atom', 'feed', 'notifications']);
    const res = await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${gone.id}` });
    expect(res.statusCode, res.body).toBe(204);
    await app.activities.poke();
    await notificationsWritten(app);
    expect(await whereShown(null, word)).toEqual([]);
    expect(await whereShown(reader, word)).toEqual([]);
    expect(await whereShown(author, word)).toEqual([]);
    expect(await whereShown(moderator, word)).toEqual([]);
  });
});

describe('the activity stream', () => {
  it('replays nothing about a hidden post, and sends nothing about it live while it is hidden', async () => {
    await app.activities.poke();
    const start = app.activities.lastId();
    const hidden = await post(author, 'to be hidden before the client comes');
    const shown = await post(author, 'stays');
    await hidePost(app, hidden.id);

    const stream = openStream(`${origin}/api/v1/stream?since=${start}&country=HM`);
    await stream.opened;
    await until(() => stream.messages.some((m) => m.objectId === shown.id), 'the visible post, replayed');
    // Live: an edit of the hidden post, then one of the visible post as a marker sent after it.
    for (const id of [hidden.id, shown.id]) {
      const res = await call(app, author, { method: 'PATCH', url: `/api/v1/posts/${id}`, payload: { body: 'edited' } });
      expect(res.statusCode, res.body).toBe(200);
      await app.activities.poke();
    }
    await until(
      () => stream.messages.some((m) => m.objectId === shown.id && m.verb === 'updated'),
      'the edit of the visible post',
    );
    stream.ws.close();
    expect(stream.messages.filter((m) => m.objectId === hidden.id)).toEqual([]);

    // Shown again: a replay from the same point has its activities.
    await unhidePost(app, hidden.id);
    const again = openStream(`${origin}/api/v1/stream?since=${start}&country=HM`);
    await again.opened;
    await until(
      () => again.messages.some((m) => m.objectId === shown.id && m.verb === 'updated'),
      'the replay up to the marker',
    );
    again.ws.close();
    expect(again.messages.filter((m) => m.objectId === hidden.id).map((m) => m.verb)).toEqual(['created', 'updated']);
  });
});
