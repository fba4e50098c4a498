/**
 * Watching levels (issue 14): posting in a thread or being mentioned in it makes a member watch it
 * unless they chose a level; later posts notify watchers ("watched_post"), never normal or muted
 * members, never the author, never a member who blocked the author, per their channel choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { NotificationList } from '@opsi/contracts/follows';
import type { ThreadLevelState, WatchedThreadList } from '@opsi/contracts/member-tools';
import { call, createTestApp, createTestCase, hidePost, signUp, writePost, type Member } from '../../testing.ts';
import { notificationsWritten } from '../../testing-until.ts';

// Members post many times here: no per-member limits.
let app: FastifyInstance;
beforeAll(async () => void (app = await createTestApp({ ABUSE_LIMITS: 'off' })));
afterAll(() => app.close());

/** The kinds (and grouped counts) of the member's notifications about this case, newest first. */
async function kinds(who: Member, slug: string): Promise<string[]> {
  await notificationsWritten(app);
  const res = await call(app, who, { url: '/api/v1/me/notifications?limit=100' });
  expect(res.statusCode).toBe(200);
  return res
    .json<NotificationList>()
    .items.filter((n) => n.url.startsWith(`/cases/${slug}`))
    .map((n) => `${n.kind}×${n.count}`);
}

async function level(who: Member, slug: string): Promise<string> {
  await notificationsWritten(app);
  const res = await call(app, who, { url: `/api/v1/me/threads/cases/${slug}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ThreadLevelState>().level;
}

function choose(who: Member | null, slug: string, payload: unknown) {
  return call(app, who, { method: 'PUT', url: `/api/v1/me/threads/cases/${slug}`, payload: payload as object });
}

describe('thread levels', () => {
  it('are normal until chosen, can be watching, normal or muted, and are listed', async () => {
    const ana = await signUp(app);
    const [one, two] = [await createTestCase(app), await createTestCase(app)];
    expect(await level(ana, one)).toBe('normal');
    expect((await call(app, ana, { url: '/api/v1/me/threads' })).json()).toEqual({ items: [] });
    for (const l of ['watching', 'muted', 'normal', 'watching']) {
      const res = await choose(ana, one, { level: l });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ caseSlug: one, level: l });
    }
    await choose(ana, two, { level: 'muted' });
    const list = (await call(app, ana, { url: '/api/v1/me/threads' })).json<WatchedThreadList>();
    expect(list.items.map((i) => `${i.caseSlug} ${i.level}`)).toEqual([`${two} muted`, `${one} watching`]);
    // The mutes API lists only the muted thread; unmuting leaves it "normal" (a choice), and leaves
    // a watched thread watched.
    const mutes = (await call(app, ana, { url: '/api/v1/me/mutes' })).json<{ items: { caseSlug: string }[] }>();
    expect(mutes.items.map((i) => i.caseSlug)).toEqual([two]);
    expect((await call(app, ana, { method: 'DELETE', url: `/api/v1/me/mutes/cases/${two}` })).json()).toEqual({
      caseSlug: two,
      muted: false,
    });
    expect(await level(ana, two)).toBe('normal');
    await call(app, ana, { method: 'DELETE', url: `/api/v1/me/mutes/cases/${one}` });
    expect(await level(ana, one)).toBe('watching');
  });

  it('refuse a level that is not one, an unknown case and anonymous callers', async () => {
    const ana = await signUp(app);
    const slug = await createTestCase(app);
    const bad = await choose(ana, slug, { level: 'tracking' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('level');
    expect((await choose(ana, slug, {})).statusCode).toBe(400);
    expect((await choose(ana, 'no-such-case', { level: 'muted' })).statusCode).toBe(404);
    expect((await call(app, ana, { url: '/api/v1/me/threads/cases/no-such-case' })).statusCode).toBe(404);
    expect((await choose(null, slug, { level: 'muted' })).statusCode).toBe(401);
    expect((await call(app, null, { url: '/api/v1/me/threads' })).statusCode).toBe(401);
    expect(await level(ana, slug)).toBe('normal');
  });
});

describe('watching a thread', () => {
  it('starts when you post: later posts by others notify you, yours do not', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    await writePost(app, ana, slug, 'A question');
    expect(await level(ana, slug)).toBe('watching');
    expect(await level(cleo, slug)).toBe('normal');
    await writePost(app, ben, slug, 'An answer');
    await writePost(app, cleo, slug, 'Another answer');
    await writePost(app, ana, slug, 'Thanks both');
    // Grouped while unread; Ben watches now too and hears of Cleo's and Ana's posts.
    expect(await kinds(ana, slug)).toEqual(['watched_post×2']);
    expect(await kinds(ben, slug)).toEqual(['watched_post×2']);
    expect(await kinds(cleo, slug)).toEqual(['watched_post×1']);
  });

  it('starts when you are mentioned; a reply or mention still says so instead', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    const root = await writePost(app, ben, slug, `What do you think, @${ana.handle}?`);
    expect(await level(ana, slug)).toBe('watching');
    await writePost(app, cleo, slug, 'I think so');
    expect(await kinds(ana, slug)).toEqual(['watched_post×1', 'mention×1']);
    // Ben watches (he posted): Ana's reply to him is a reply, not a "watched_post".
    await writePost(app, ana, slug, { body: 'Yes', parentId: root.id });
    expect(await kinds(ben, slug)).toEqual(['reply×1', 'watched_post×1']);
  });

  it('never overrides a level you chose, and notifies no normal or muted member', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    await choose(ana, slug, { level: 'normal' });
    await choose(cleo, slug, { level: 'muted' });
    await writePost(app, ana, slug, `Hello @${cleo.handle}`);
    expect(await level(ana, slug)).toBe('normal');
    expect(await level(cleo, slug)).toBe('muted');
    await writePost(app, ben, slug, `Hi @${cleo.handle}`);
    await writePost(app, ben, slug, 'More');
    expect(await kinds(ana, slug)).toEqual([]);
    expect(await kinds(cleo, slug)).toEqual([]);
    // Chosen "watching" again: the next post notifies.
    await choose(ana, slug, { level: 'watching' });
    await writePost(app, ben, slug, 'Even more');
    expect(await kinds(ana, slug)).toEqual(['watched_post×1']);
  });

  it('tells nothing of a blocked member’s posts, and a mention by them does not make you watch', async () => {
    const [ana, ben, cleo] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    await writePost(app, ana, slug, 'A question');
    await call(app, ana, { method: 'PUT', url: `/api/v1/me/blocks/${ben.handle}` });
    await call(app, cleo, { method: 'PUT', url: `/api/v1/me/blocks/${ben.handle}` });
    await writePost(app, ben, slug, `Listen, @${cleo.handle}`);
    expect(await kinds(ana, slug)).toEqual([]);
    expect(await level(cleo, slug)).toBe('normal');
    expect(await kinds(cleo, slug)).toEqual([]);
  });

  it('follows the channel you chose for it, and quotes nothing of a hidden post', async () => {
    const [ana, ben] = [await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    await writePost(app, ana, slug, 'A question');
    const prefs = (channel: string) =>
      call(app, ana, {
        method: 'PATCH',
        url: '/api/v1/me/notification-prefs',
        payload: { kinds: [{ kind: 'watched_post', channel }] },
      });
    expect((await prefs('off')).statusCode).toBe(200);
    await writePost(app, ben, slug, 'Not told');
    expect(await kinds(ana, slug)).toEqual([]);
    await prefs('in_app');
    const told = await writePost(app, ben, slug, 'A secret word: pomegranate');
    await hidePost(app, told.id);
    await notificationsWritten(app);
    const list = (await call(app, ana, { url: '/api/v1/me/notifications' })).json<NotificationList>();
    const watched = list.items.filter((n) => n.kind === 'watched_post');
    expect(watched).toHaveLength(1);
    expect(watched[0]!.excerpt).toBe('');
  });
});
