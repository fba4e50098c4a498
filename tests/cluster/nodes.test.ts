/**
 * What the nodes share, through the real processes: each committed activity reaches the sockets of
 * every node once (clients connected straight to each node, Socket.IO's polling fallback through
 * nginx's sticky route, the plain WebSocket stream through nginx), whichever node the post was
 * written on; a cached anonymous page is emptied on every node by a post written on another one
 * (PUBLIC_CACHE_SECONDS is long here, so only the invalidation can change it); and every job the
 * nodes ran was claimed once.
 */
import { describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { call, clusterForFile, createCase, eventually, insertMembers, until } from './kit.ts';

const SLUG = 'cluster-nodes';
const PER_NODE = 10;

const { cluster, database } = await clusterForFile({ env: { PUBLIC_CACHE_SECONDS: '600' } });

interface Listener {
  name: string;
  /** Post id → times heard. */
  heard: Map<string, number>;
  close(): void;
}

async function socketListener(name: string, origin: string, transport: 'websocket' | 'polling'): Promise<Listener> {
  const socket: Socket = io(origin, { transports: [transport], reconnection: false, forceNew: true });
  const heard = new Map<string, number>();
  socket.on('post:created', (post: { id: string; caseSlug: string }) => {
    if (post.caseSlug === SLUG) heard.set(post.id, (heard.get(post.id) ?? 0) + 1);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(10_000).emitWithAck('case:watch', { slug: SLUG })) as { ok: boolean };
  if (!ack.ok) throw new Error(`${name}: case:watch ${JSON.stringify(ack)}`);
  return { name, heard, close: () => socket.disconnect() };
}

async function streamListener(origin: string): Promise<Listener> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/v1/stream?country=HM`);
  const heard = new Map<string, number>();
  ws.on('message', (data) => {
    const activity = JSON.parse(String(data)) as { verb: string; objectType: string; objectId: string };
    if (activity.objectType === 'post' && activity.verb === 'created') {
      heard.set(activity.objectId, (heard.get(activity.objectId) ?? 0) + 1);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { name: 'stream via nginx', heard, close: () => ws.close() };
}

describe('three node processes behind nginx', () => {
  it('deliver each committed post once to the sockets of every node, and to polling and stream clients through nginx', async () => {
    const [organiser, ...posters] = await insertMembers(database, 'nodes', 4, { organiser: true });
    await createCase(cluster.url, organiser!, SLUG, 'Cluster nodes test');
    const listeners: Listener[] = [];
    try {
      for (const node of cluster.nodes) {
        for (let i = 0; i < PER_NODE; i += 1) {
          listeners.push(await socketListener(`node ${node.index} #${i}`, node.url, 'websocket'));
        }
      }
      for (let i = 0; i < 3; i += 1) listeners.push(await socketListener(`polling #${i}`, cluster.url, 'polling'));
      listeners.push(await streamListener(cluster.url));

      // Posts written on each node in turn (straight to it), then one last post: the marker after
      // which nothing more may arrive.
      const ids: string[] = [];
      for (let i = 0; i < 9; i += 1) {
        const node = cluster.nodes[i % 3]!;
        const posted = await call<{ id: string }>(node.url, 'POST', `/api/v1/cases/${SLUG}/posts`, posters[i % 3]!, {
          body: `Post ${i}, written on node ${node.index}.`,
        });
        expect(posted.status).toBe(201);
        ids.push(posted.body.id);
      }
      await until(
        () => listeners.every((l) => ids.every((id) => l.heard.has(id))),
        () =>
          `every listener to hear the 9 posts: ${listeners.filter((l) => ids.some((id) => !l.heard.has(id))).map((l) => l.name)}`,
        { within: 30_000, every: 50 },
      );
      const marker = await call<{ id: string }>(cluster.url, 'POST', `/api/v1/cases/${SLUG}/posts`, posters[0]!, {
        body: 'The marker post.',
      });
      await until(() => listeners.every((l) => l.heard.has(marker.body.id)), 'every listener to hear the marker', {
        within: 30_000,
        every: 50,
      });
      for (const l of listeners)
        expect({ [l.name]: ids.map((id) => l.heard.get(id)) }).toEqual({ [l.name]: ids.map(() => 1) });
      expect(listeners.length).toBe(3 * PER_NODE + 4);
    } finally {
      for (const l of listeners) l.close();
    }
  });

  it('empty a cached anonymous page on every node when a post is written on one of them', async () => {
    const [organiser, poster] = await insertMembers(database, 'cache', 2, { organiser: true });
    const slug = 'cluster-cache';
    await createCase(cluster.url, organiser!, slug, 'Cluster cache test');
    const first = await call<{ id: string }>(cluster.nodes[0]!.url, 'POST', `/api/v1/cases/${slug}/posts`, poster!, {
      body: 'The first post.',
    });
    expect(first.status).toBe(201);
    type Page = { items: { id: string; body: string }[] };
    const page = (url: string) => call<Page>(url, 'GET', `/api/v1/cases/${slug}/posts`, null).then((a) => a.body);
    // Every node has the page with the first post, and keeps it (anonymous reads are cached).
    for (const node of cluster.nodes) {
      await eventually(
        () => page(node.url),
        (p) => p.items.length === 1,
        `node ${node.index}'s page with the first post`,
      );
    }
    // A change written behind the platform's back (no activity): every node still serves its copy.
    await database.kysely
      .updateTable('posts')
      .set({ body: 'Changed in the database.' })
      .where('id', '=', first.body.id)
      .execute();
    for (const node of cluster.nodes) expect((await page(node.url)).items[0]!.body).toBe('The first post.');

    // A post written on node 3 empties the page on all three: each now reads the database again.
    const second = await call(cluster.nodes[2]!.url, 'POST', `/api/v1/cases/${slug}/posts`, poster!, {
      body: 'The second post.',
    });
    expect(second.status).toBe(201);
    for (const node of cluster.nodes) {
      const fresh = await eventually(
        () => page(node.url),
        (p) => p.items.length === 2,
        `node ${node.index}'s page to change`,
        {
          within: 10_000,
        },
      );
      expect(fresh.items.map((p) => p.body)).toEqual(['Changed in the database.', 'The second post.']);
    }
  });

  it('ran every job once: no job was claimed twice', async () => {
    const jobs = await database.kysely.selectFrom('jobs').select(['kind', 'key', 'attempts', 'done_at']).execute();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.filter((j) => j.done_at !== null && j.attempts !== 1)).toEqual([]);
  });
});
