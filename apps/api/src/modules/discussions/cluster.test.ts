/**
 * Two server processes on one PostgreSQL (the Socket.IO Postgres adapter joins them): a socket on
 * node A hears a post made through node B, once; presence and typing cross nodes; a notification
 * reaches its member on the other node, and only them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import type { Post } from '@opsi/contracts/discussions';
import type { Notification } from '@opsi/contracts/follows';
import type { Ack, PresencePayload } from '@opsi/contracts/realtime';
import { freePort } from '../../../../../infra/throwaway-postgres.ts';
import { GOOD_PASSWORD, nextAddress, sessionCookie, testDatabaseUrl, uniqueSlug } from '../../testing.ts';

const server = fileURLToPath(new URL('../../server.ts', import.meta.url));
const nodes: { child: ChildProcess; origin: string }[] = [];
const sockets: Socket[] = [];

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
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}`);
    const ready = await fetch(`${origin}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error('node did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
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
  for (const s of sockets) s.disconnect();
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

async function socket(origin: string, cookie?: string): Promise<Socket> {
  const s = connect(origin, {
    transports: ['websocket'],
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

async function signUpOn(origin: string) {
  const handle = uniqueSlug('node');
  const res = await fetch(`${origin}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextAddress() },
    body: JSON.stringify({
      email: `${handle}@example.org`,
      password: GOOD_PASSWORD,
      displayName: `Node ${handle}`,
      handle,
    }),
  });
  expect(res.status).toBe(201);
  return { handle, cookie: sessionCookie({ headers: { 'set-cookie': res.headers.getSetCookie() } }) };
}

async function post(origin: string, cookie: string, slug: string, body: Record<string, unknown>): Promise<Post> {
  const res = await fetch(`${origin}/api/v1/cases/${slug}/posts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Post;
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('two nodes, one PostgreSQL', () => {
  it('delivers a post made through node B to watchers on both nodes, once each', async () => {
    const slug = 'ukraine-procurement-risk-monitoring';
    const writer = await signUpOn(b.origin);
    const onA = await socket(a.origin);
    const onB = await socket(b.origin);
    for (const s of [onA, onB])
      expect(((await s.timeout(5000).emitWithAck('case:watch', { slug })) as Ack).ok).toBe(true);
    const seenA: Post[] = [];
    const seenB: Post[] = [];
    onA.on('post:created', (p: Post) => seenA.push(p));
    onB.on('post:created', (p: Post) => seenB.push(p));
    // Presence counts both nodes' watchers.
    const presence: PresencePayload[] = [];
    onA.on('presence:changed', (p: PresencePayload) => presence.push(p));
    const third = await socket(b.origin);
    await third.timeout(5000).emitWithAck('case:watch', { slug });
    await until(() => presence.some((p) => p.room === `case:${slug}` && p.watching >= 3), 'presence across nodes');

    const made = await post(b.origin, writer.cookie, slug, { body: `Across nodes ${uniqueSlug('x')}` });
    await until(
      () => seenA.some((p) => p.id === made.id) && seenB.some((p) => p.id === made.id),
      'the post on both nodes',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(seenA.filter((p) => p.id === made.id)).toHaveLength(1);
    expect(seenB.filter((p) => p.id === made.id)).toHaveLength(1);

    // Reactions and deletions too; typing through node A reaches a watcher on node B.
    const changes: string[] = [];
    onA.on('reaction:changed', () => changes.push('reaction'));
    onA.on('post:deleted', () => changes.push('deleted'));
    await fetch(`${b.origin}/api/v1/posts/${made.id}/reactions/like`, {
      method: 'PUT',
      headers: { cookie: writer.cookie },
    });
    await fetch(`${b.origin}/api/v1/posts/${made.id}`, { method: 'DELETE', headers: { cookie: writer.cookie } });
    await until(() => changes.includes('reaction') && changes.includes('deleted'), 'reaction and deletion on node A');

    const typist = await signUpOn(a.origin);
    const typingSocket = await socket(a.origin, typist.cookie);
    await typingSocket.timeout(5000).emitWithAck('case:watch', { slug });
    const typingSeen: string[] = [];
    onB.on('case:typing', (p: { user: { handle: string } }) => typingSeen.push(p.user.handle));
    await typingSocket.timeout(5000).emitWithAck('case:typing', { slug });
    await until(() => typingSeen.includes(typist.handle), 'typing across nodes');
  });

  it('sends a notification to its member’s sockets on the other node, and to no one else', async () => {
    const slug = 'citizens-connect';
    const [author, replier, bystander] = [await signUpOn(a.origin), await signUpOn(b.origin), await signUpOn(a.origin)];
    const authorSocket = await socket(a.origin, author.cookie);
    const bystanderSocket = await socket(b.origin, bystander.cookie);
    const got: Notification[] = [];
    const leaked: Notification[] = [];
    authorSocket.on('notification:created', (n: Notification) => got.push(n));
    bystanderSocket.on('notification:created', (n: Notification) => leaked.push(n));
    const root = await post(a.origin, author.cookie, slug, { body: 'Question for the cluster' });
    await post(b.origin, replier.cookie, slug, { body: 'Answer from node B', parentId: root.id });
    await until(() => got.some((n) => n.kind === 'reply'), 'the reply notification');
    await new Promise((r) => setTimeout(r, 500));
    expect(got.filter((n) => n.kind === 'reply')).toHaveLength(1);
    expect(leaked).toEqual([]);
  });
});
