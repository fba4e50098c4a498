/**
 * Two server processes on one PostgreSQL (the Socket.IO Postgres adapter joins them): a socket on
 * node A hears a post made through node B, once; presence and typing cross nodes; a notification
 * reaches its member on the other node, and only them; the editors of a case are listed across nodes.
 * Each node keeps the outbox's order, and sends a post written through it at its commit only once
 * the thread's post before it has gone out there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Post, PostCreated, PostList } from '@opsi/contracts/discussions';
import type { Notification } from '@opsi/contracts/follows';
import type { Ack, CaseEditors, PresencePayload } from '@opsi/contracts/realtime';
import { freePort } from '../../../../../infra/throwaway-postgres.ts';
import { call, signUp, testDatabaseUrl, uniqueSlug, writePost as post, type Member } from '../../testing.ts';
import { closeSockets, connectSocket, nextEvent } from '../../testing-sockets.ts';
import { until } from '../../testing-until.ts';
import { createDatabase } from '@opsi/db/database';
import { sql } from 'kysely';
import { insertActivity, takeOutboxLock } from '../../platform/outbox/repository.ts';

const server = fileURLToPath(new URL('../../server.ts', import.meta.url));
const admin = fileURLToPath(new URL('../../admin.ts', import.meta.url));
const nodes: { child: ChildProcess; origin: string }[] = [];

async function startNode(): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [server], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: testDatabaseUrl(),
      PORT: String(port),
      HOST: '127.0.0.1',
      SERVE_WEB: 'false',
      SEED_DEMO: 'false',
      JOBS: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}`);
      return fetch(`${origin}/api/ready`).then(
        (r) => r.ok,
        () => false,
      );
    },
    'the node to be ready',
    { within: 90_000, every: 200 },
  );
  const node = { child, origin };
  nodes.push(node);
  return node;
}

let a: { origin: string };
let b: { origin: string };

beforeAll(async () => {
  [a, b] = await Promise.all([startNode(), startNode()]);
}, 120_000);

afterAll(async () => {
  closeSockets();
  await Promise.all(
    nodes.map(
      (n) =>
        new Promise<void>((resolve) => {
          if (n.child.exitCode !== null) return resolve();
          n.child.once('exit', () => resolve());
          n.child.kill('SIGTERM');
        }),
    ),
  );
});

/** A connected socket on a node, signed in as `who` or anonymous. */
function socket(origin: string, who: Member | null = null) {
  return connectSocket(origin, { who });
}

describe('two nodes, one PostgreSQL', () => {
  it('delivers a post made through node B to watchers on both nodes, once each', async () => {
    const slug = 'ukraine-procurement-risk-monitoring';
    const writer = await signUp(b.origin);
    const onA = await socket(a.origin);
    const onB = await socket(b.origin);
    for (const s of [onA, onB])
      expect(((await s.timeout(5000).emitWithAck('case:watch', { slug })) as Ack).ok).toBe(true);
    const seenA: PostCreated[] = [];
    const seenB: PostCreated[] = [];
    onA.on('post:created', (p: PostCreated) => seenA.push(p));
    onB.on('post:created', (p: PostCreated) => seenB.push(p));
    // Presence counts both nodes' watchers.
    const presence: PresencePayload[] = [];
    onA.on('presence:changed', (p: PresencePayload) => presence.push(p));
    const third = await socket(b.origin);
    await third.timeout(5000).emitWithAck('case:watch', { slug });
    await until(() => presence.some((p) => p.room === `case:${slug}` && p.watching >= 3), 'presence across nodes');

    const made = await post(b.origin, writer, slug, { body: `Across nodes ${uniqueSlug('x')}` });
    await until(
      () => seenA.some((p) => p.id === made.id) && seenB.some((p) => p.id === made.id),
      'the post on both nodes',
    );
    // A marker post through node B after it: each node delivers a room's posts in order, so once
    // both sockets have the marker, any second copy of the post would have come before it.
    const marker = await post(b.origin, writer, slug, { body: `Marker ${uniqueSlug('x')}` });
    await until(
      () => seenA.some((p) => p.id === marker.id) && seenB.some((p) => p.id === marker.id),
      'the marker on both nodes',
    );
    expect(seenA.filter((p) => p.id === made.id)).toHaveLength(1);
    expect(seenB.filter((p) => p.id === made.id)).toHaveLength(1);
    // Node B sends the post it just wrote without reading it back; node A reads it: the same post.
    expect(seenB.find((p) => p.id === made.id)).toEqual(seenA.find((p) => p.id === made.id));
    // Each node says which post came before the marker in the thread (node A reads it back).
    expect(seenA.find((p) => p.id === marker.id)?.previousId).toBe(made.id);
    expect(seenB.find((p) => p.id === marker.id)?.previousId).toBe(made.id);

    // Reactions and deletions too; typing through node A reaches a watcher on node B.
    const changes: string[] = [];
    onA.on('reaction:changed', () => changes.push('reaction'));
    onA.on('post:deleted', () => changes.push('deleted'));
    await call(b.origin, writer, { method: 'PUT', url: `/api/v1/posts/${made.id}/reactions/like` });
    await call(b.origin, writer, { method: 'DELETE', url: `/api/v1/posts/${made.id}` });
    await until(() => changes.includes('reaction') && changes.includes('deleted'), 'reaction and deletion on node A');

    const typist = await signUp(a.origin);
    const typingSocket = await socket(a.origin, typist);
    await typingSocket.timeout(5000).emitWithAck('case:watch', { slug });
    const typingSeen: string[] = [];
    onB.on('case:typing', (p: { user: { handle: string } }) => typingSeen.push(p.user.handle));
    await typingSocket.timeout(5000).emitWithAck('case:typing', { slug });
    await until(() => typingSeen.includes(typist.handle), 'typing across nodes');
  });

  it('lists the editors of a case across nodes, and tells them all when one saves', async () => {
    const [olga, pierre] = [await signUp(a.origin), await signUp(b.origin)];
    for (const [who, role] of [
      [olga, 'organiser'],
      [pierre, 'moderator'],
    ] as const) {
      execFileSync(process.execPath, [admin, 'set-role', who.handle, role], {
        env: { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent' },
        stdio: 'pipe',
      });
    }
    const slug = uniqueSlug('cluster');
    const created = await call(a.origin, olga, {
      method: 'POST',
      url: '/api/v1/cases',
      payload: {
        slug,
        title: 'Edited on two nodes',
        summary: 'A case edited through two nodes.',
        countries: ['HM'],
        themes: ['digital-government'],
        year: 2026,
        organisation: 'Cluster',
        levelOfGovernment: 'national',
        stage: 'pilot',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const onA = await socket(a.origin, olga);
    const onB = await socket(b.origin, pierre);
    await onA.timeout(5000).emitWithAck('case:edit', { slug });
    const both = nextEvent(onA, 'case:editors', (p) => p.editors.length === 2);
    const joined = (await onB.timeout(5000).emitWithAck('case:edit', { slug })) as Ack<CaseEditors>;
    expect(joined.ok && joined.data.editors.map((e) => e.handle).sort()).toEqual([olga.handle, pierre.handle].sort());
    await both;

    const savedA = nextEvent(onA, 'case:saved', (p) => p.version === 2);
    const savedB = nextEvent(onB, 'case:saved', (p) => p.version === 2);
    const edit = { version: 1, summary: 'Saved through node B, heard on node A.' };
    const res = await call(b.origin, pierre, { method: 'PATCH', url: `/api/v1/cases/${slug}`, payload: edit });
    expect(res.statusCode, res.body).toBe(200);
    expect((await savedA).editor.handle).toBe(pierre.handle);
    expect((await savedB).editor.handle).toBe(pierre.handle);

    const left = nextEvent(onA, 'case:editors', (p) => p.editors.length === 1);
    onB.disconnect();
    expect((await left).editors.map((e) => e.handle)).toEqual([olga.handle]);
  });

  it('sends a notification to its member’s sockets on the other node, and to no one else', async () => {
    const slug = 'citizens-connect';
    const [author, replier, bystander] = [await signUp(a.origin), await signUp(b.origin), await signUp(a.origin)];
    const authorSocket = await socket(a.origin, author);
    const bystanderSocket = await socket(b.origin, bystander);
    const got: Notification[] = [];
    const leaked: Notification[] = [];
    authorSocket.on('notification:created', (n: Notification) => got.push(n));
    bystanderSocket.on('notification:created', (n: Notification) => leaked.push(n));
    const root = await post(a.origin, author, slug, { body: 'Question for the cluster' });
    await post(b.origin, replier, slug, { body: 'Answer from node B', parentId: root.id });
    await until(() => got.some((n) => n.kind === 'reply'), 'the reply notification');
    // Markers sent after it. For the author, a later notification of another kind (a mention):
    // notifications are written and sent in activity order, so a second reply notification would
    // come before it. For the bystander, an unread count sent to them through node A once the
    // reply notification is out: it arrives after anything sent to them before it.
    await post(b.origin, replier, slug, { body: `Marker for @${author.handle}` });
    const unread = nextEvent(bystanderSocket, 'notifications:unread');
    await call(a.origin, bystander, { method: 'POST', url: '/api/v1/me/notifications/read', payload: { all: true } });
    await until(() => got.some((n) => n.kind === 'mention'), 'the mention');
    await unread;
    expect(got.filter((n) => n.kind === 'reply')).toHaveLength(1);
    expect(leaked).toEqual([]);
  });

  it('delivers, on every node, an activity committed late behind a later one in its place: once each, in order', async () => {
    const slug = 'ukraine-procurement-risk-monitoring';
    const writer = await signUp(b.origin);
    const [onA, onB] = await watchers(slug);
    const first = await postHeard(b.origin, writer, slug, [onA, onB]);

    // A writer of its own on the same PostgreSQL, whose transaction stays open: it writes a post in
    // the case and its activity first, under the thread's lock as every writer of posts.
    const held = await holdWriter(slug, writer, { threadLock: true });
    try {
      // A later activity, through node B, commits first: a reaction (under its post's row lock).
      const reacted = await call(b.origin, writer, { method: 'PUT', url: `/api/v1/posts/${first.id}/reactions/like` });
      expect(reacted.statusCode).toBe(200);
      held.release();
      await held.done;
      const marker = await postHeard(b.origin, writer, slug, [onA, onB]);
      // Both nodes keep the outbox order: what began first comes first.
      const expected = [`created:${held.postId}`, `reacted:${first.id}`, `created:${marker.id}`];
      for (const { heard } of [onA, onB]) expect(heard.filter((e) => expected.includes(e))).toEqual(expected);
    } finally {
      await held.close();
    }
  });

  it('sends a post at its commit on its writer’s node only after the thread’s post before it', async () => {
    const slug = 'ukraine-procurement-risk-monitoring';
    const writer = await signUp(a.origin);
    const [onA, onB] = await watchers(slug);
    // Both nodes have sent the thread's newest post (a post after it may go at its commit).
    const first = await postHeard(a.origin, writer, slug, [onA, onB]);
    // Node A's public cache holds the thread's start page (a page view; a catch-up is never cached).
    const start = `/api/v1/cases/${slug}/posts?limit=100`;
    const ids = async () => (await call(a.origin, null, { url: start })).json<PostList>().items.map((p) => p.id);
    expect(await ids()).toContain(first.id);

    // A writer of activities in flight (not in this thread): every node's outbox reader waits behind it.
    const held = await holdWriter(slug, writer, { threadLock: false });
    try {
      // Through node A: its sockets hear the post at once, though no reader can hand it out yet, and
      // its cached page of the thread was dropped: a page read there now shows X.
      const x = await post(a.origin, writer, slug, { body: `X ${uniqueSlug('x')}` });
      await until(() => onA.heard.includes(`created:${x.id}`), 'X on node A while the outbox waits');
      expect(await ids()).toContain(x.id);
      // Through node B, after X: node B has not sent X yet, so Y waits for the outbox there too.
      const y = await post(b.origin, writer, slug, { body: `Y ${uniqueSlug('x')}` });
      expect(onB.heard.filter((e) => e.startsWith('created:'))).not.toContain(`created:${y.id}`);
      held.release();
      await held.done;
      const marker = await postHeard(b.origin, writer, slug, [onA, onB]);
      const expected = [x.id, y.id, marker.id].map((id) => `created:${id}`);
      for (const { heard } of [onA, onB]) expect(heard.filter((e) => expected.includes(e))).toEqual(expected);
    } finally {
      await held.close();
    }
  });
});

/** A post through `origin`, once every watcher has heard it (a marker: what came before it came). */
async function postHeard(origin: string, writer: Member, slug: string, on: { heard: string[] }[]): Promise<Post> {
  const made = await post(origin, writer, slug, { body: `Marker ${uniqueSlug('x')}` });
  await until(() => on.every(({ heard }) => heard.includes(`created:${made.id}`)), 'the post on both nodes');
  return made;
}

/** A socket on each node watching the case, with what it heard: `created:<post id>`, `reacted:<post id>`. */
async function watchers(slug: string): Promise<[{ heard: string[] }, { heard: string[] }]> {
  const [onA, onB] = await Promise.all(
    [a, b].map(async (node) => {
      const s = await socket(node.origin);
      expect(((await s.timeout(5000).emitWithAck('case:watch', { slug })) as Ack).ok).toBe(true);
      const heard: string[] = [];
      s.on('post:created', (p: Post) => heard.push(`created:${p.id}`));
      s.on('reaction:changed', (p: { postId: string }) => heard.push(`reacted:${p.postId}`));
      return { heard };
    }),
  );
  return [onA!, onB!];
}

/**
 * A writer of activities on its own connection whose transaction stays open until released: with
 * the thread's lock, it writes a post in the case and its activity; without, an activity only
 * (about no post of this thread), so the thread's writers do not wait for it.
 */
async function holdWriter(slug: string, writer: Member, { threadLock }: { threadLock: boolean }) {
  const database = await createDatabase({ databaseUrl: testDatabaseUrl(), dataDir: '', poolSize: 1 });
  const thread = await database.kysely
    .selectFrom('cases')
    .select(['id', 'countries', 'themes'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let written!: (id: string) => void;
  const postId = new Promise<string>((resolve) => (written = resolve));
  const done = database.kysely.transaction().execute(async (trx) => {
    // As every writer of activities does, before it writes anything; a writer of posts with the
    // thread's lock (posting/repository.ts: THREAD_LOCK, the case id).
    await takeOutboxLock(
      trx,
      threadLock ? sql`pg_advisory_xact_lock(7331003, (${sql.lit(BigInt(thread.id))} % 2147483647)::int)` : undefined,
    );
    let id = '0';
    if (threadLock) {
      const row = await trx
        .insertInto('posts')
        .values({
          case_id: thread.id,
          author_id: writer.user.id,
          body: 'held open',
          body_html: '<p>held open</p>',
          language: 'en',
          excerpt: 'held open',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    await insertActivity(
      trx,
      threadLock
        ? {
            verb: 'created',
            objectType: 'post',
            objectId: id,
            actorId: writer.user.id,
            countries: thread.countries,
            themes: thread.themes,
            isPublic: true,
            payload: { caseSlug: slug, postId: id, parentId: null, mentionIds: [] },
          }
        : {
            verb: 'followed',
            objectType: 'case',
            objectId: thread.id,
            actorId: writer.user.id,
            countries: [],
            themes: [],
            isPublic: false,
            payload: { targetUserId: null, label: slug },
          },
    );
    written(id);
    await released;
  });
  return {
    postId: await postId,
    release,
    done,
    async close() {
      release();
      await done.catch(() => undefined);
      await database.close();
    },
  };
}
