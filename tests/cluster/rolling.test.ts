/**
 * A rolling restart under load, through nginx: the three nodes are restarted one after the other
 * (SIGTERM, the drain, a new process on the same port, ready) while members keep reading a case
 * thread (anonymous and signed in), posting to it and answering an event, and watchers follow the
 * thread over Socket.IO. No request is retried: every answer must be a success, first time. Then
 * every acknowledged post is stored once and every watcher, connected again, holds each one.
 * The next node is restarted only once the last one serves again through nginx (its own /metrics
 * count API requests), as an operator must: nginx keeps a node whose connection was refused out of
 * rotation for its fail_timeout (5 s, with whole seconds), so a node back sooner than that is not
 * yet serving, and stopping the next one then leaves nginx no live upstream (its 502s).
 * Watchers catch up as the web app does: after each reconnection, and when a live post's
 * `previousId` says one was missed. Prints how many requests were sent, how long each node took to
 * come back, and each post a watcher missed live outside a reconnection (with which nodes emitted
 * it); when the last wait fails, what each watcher holds, heard and caught up, and what each node did.
 */
import { join } from 'node:path';
import { sql } from 'kysely';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { tail } from '../../infra/processes.ts';
import { call, clusterForFile, createCase, insertMembers, percentile, until, type Member } from './kit.ts';
import { closeWatchers, missingReport, startWatchers, type Watcher } from './watchers.ts';

const CLIENTS = 20;
const WATCHERS = 30;
const SLUG = 'cluster-rolling';
const EVENT = 'cluster-rolling-event';

const METRICS_TOKEN = 'cluster-rolling-metrics';
const { cluster, database } = await clusterForFile({ env: { METRICS_TOKEN } });

/** The lines of a node's /metrics. */
async function metricsOf(url: string): Promise<string[]> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  return (await response.text()).split('\n');
}

/** API requests a node has answered since it started (its /metrics), readiness probes aside. */
async function apiRequestsServed(url: string): Promise<number> {
  let served = 0;
  for (const line of await metricsOf(url)) {
    if (
      line.startsWith('http_request_duration_seconds_count{') &&
      line.includes('route="/api/v1/') &&
      !line.includes('route="/api/v1/stream"')
    ) {
      served += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return served;
}

/** A node's outbox reader as its /metrics tells it (handed out, newest id, a read's running time). */
async function outboxReader(url: string): Promise<string> {
  const lines = (await metricsOf(url)).filter((line) => line.startsWith('outbox_reader{'));
  return lines.map((line) => line.replace(/^outbox_reader\{measure="(\w+)"\} /, '$1 ')).join(', ');
}

/** For a failed wait: each post some watcher misses, when it was acknowledged, written and handed out. */
async function postsReport(
  missed: string[],
  ackedAt: Map<string, number>,
  heardBy: Map<string, number>[],
): Promise<string> {
  if (!missed.length) return '';
  const rows = await database.kysely
    .selectFrom('posts as p')
    .leftJoin('activities as a', (join) =>
      join
        .on('a.object_type', '=', 'post')
        .on('a.verb', '=', 'created')
        .onRef('a.object_id', '=', sql`p.id::text`),
    )
    .select(['p.id', 'p.client_id', 'p.created_at', 'a.id as activity', sql<string>`a.xid::text`.as('xid')])
    .where('p.id', 'in', missed)
    .execute();
  return rows
    .map(
      (r) =>
        `post ${r.id} (${r.client_id}): created ${r.created_at.toISOString()}, acknowledged ` +
        `${new Date(ackedAt.get(r.id) ?? 0).toISOString()}, activity ${r.activity} xid ${r.xid}; emitted by ` +
        heardBy
          .map((heard, i) => `node ${i + 1}: ${heard.has(r.id) ? new Date(heard.get(r.id)!).toISOString() : 'no'}`)
          .join(', '),
    )
    .join('\n');
}

/**
 * What each node emits to a case's room: an anonymous Socket.IO watcher connected to the node itself
 * (not through nginx), joining again after each restart (no catch-up: only what it hears live).
 * For a post missed live: did the node the watcher was on emit it at all?
 */
function tapNode(url: string): Map<string, number> {
  const heard = new Map<string, number>();
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
  });
  socket.on('connect', () => socket.emit('case:watch', { slug: SLUG }, () => undefined));
  socket.on('post:created', (post: { id: string }) => heard.set(post.id, Date.now()));
  taps.push(socket);
  return heard;
}
const taps: Socket[] = [];

interface Failure {
  request: string;
  status: number;
  body: unknown;
}

/** One client's loop until `stop()`: read, post, answer, read as the member; every answer counted. */
async function client(
  member: Member,
  n: number,
  stopped: () => boolean,
  failures: Failure[],
  posts: string[],
  ackedAt: Map<string, number>,
) {
  let sent = 0;
  for (let k = 0; !stopped(); k += 1) {
    const requests: [string, string, Member | null, unknown?][] = [
      ['GET', `/api/v1/cases/${SLUG}/posts`, null],
      ['POST', `/api/v1/cases/${SLUG}/posts`, member, { body: `Rolling ${n}-${k}`, clientId: `rolling-${n}-${k}` }],
      ['GET', `/api/v1/cases/${SLUG}/posts`, member],
      ['PUT', `/api/v1/events/${EVENT}/rsvp`, member, { status: k % 2 === 0 ? 'going' : 'declined' }],
    ];
    for (const [method, path, who, body] of requests) {
      const answer = await call<{ id?: string }>(cluster.url, method, path, who, body);
      sent += 1;
      if (answer.status < 200 || answer.status >= 300) {
        failures.push({ request: `${method} ${path}`, status: answer.status, body: answer.body });
      } else if (method === 'POST') {
        posts.push(answer.body.id!);
        ackedAt.set(answer.body.id!, Date.now());
      }
    }
  }
  return sent;
}

describe('a rolling restart of the three nodes under load, through nginx', () => {
  it('fails no request, loses no post, and every watcher ends connected with every post', async () => {
    const [organiser, ...members] = await insertMembers(database, 'rolling', CLIENTS + WATCHERS + 1, {
      organiser: true,
    });
    await createCase(cluster.url, organiser!, SLUG, 'Cluster rolling restart');
    const event = await call(cluster.url, 'POST', '/api/v1/events', organiser!, {
      slug: EVENT,
      title: 'Rolling restart conference',
      description: 'Answered while the nodes restart.',
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Paris',
      capacity: 5,
    });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    const heardBy = cluster.nodes.map((node) => tapNode(node.url));
    const watchers: Watcher[] = await startWatchers(cluster.url, SLUG, members.slice(CLIENTS));
    try {
      const failures: Failure[] = [];
      const posts: string[] = [];
      const ackedAt = new Map<string, number>();
      let stop = false;
      const load = members
        .slice(0, CLIENTS)
        .map((member, n) => client(member, n, () => stop, failures, posts, ackedAt));
      // Some load on every node first, then each node in turn, the next once the last serves again.
      await until(() => posts.length >= CLIENTS, 'a first post from every client', { within: 30_000, every: 50 });
      const restarts: number[] = [];
      const rotations: number[] = [];
      const timeline: string[] = [];
      for (const node of cluster.nodes) {
        const before = posts.length;
        const started = performance.now();
        timeline.push(`${new Date().toISOString()} node ${node.index}: SIGTERM`);
        await node.restart();
        timeline.push(`${new Date().toISOString()} node ${node.index}: ready`);
        restarts.push(Math.round(performance.now() - started));
        let served = 0;
        await until(
          async () => (served = await apiRequestsServed(node.url)) >= CLIENTS,
          () => `node ${node.index} serving through nginx again (${served} API requests answered)`,
          { within: 30_000, every: 100 },
        );
        timeline.push(`${new Date().toISOString()} node ${node.index}: serving through nginx`);
        rotations.push(Math.round(performance.now() - started));
        await until(() => posts.length >= before + CLIENTS, `posts acknowledged after node ${node.index} came back`, {
          within: 30_000,
          every: 50,
        });
      }
      stop = true;
      const sent = (await Promise.all(load)).reduce((a, b) => a + b, 0);
      console.log(
        `rolling restart: ${sent} requests, ${failures.length} failed, ${posts.length} posts; ` +
          `node restarts (SIGTERM to ready) ${restarts.join(', ')} ms, to serving through nginx ${rotations.join(', ')} ms`,
      );
      if (failures.length > 0) {
        // When each node went down and came back, beside what nginx said (its alerts: a worker's crash).
        const log = join(cluster.dir, 'nginx', 'error.log');
        const alerts = tail(log, 100_000)
          .split('\n')
          .filter((line) => /\[(?:alert|crit|emerg)\]/.test(line));
        console.log(`${timeline.join('\n')}\n--- nginx error.log\n${[...alerts, tail(log, 30)].join('\n')}`);
      }
      expect(failures).toEqual([]);

      const stored = await database.kysely
        .selectFrom('posts')
        .select('id')
        .where('client_id', 'like', 'rolling-%')
        .execute();
      expect(stored.length).toBe(posts.length);
      expect(new Set(posts).size).toBe(posts.length);

      const ids = new Set(posts);
      const missing = (w: Watcher) => [...ids].filter((id) => !w.thread.has(id)).length;
      await until(
        () => watchers.every((w) => w.socket.connected && missing(w) === 0),
        () =>
          `every watcher connected with all ${ids.size} posts: ${watchers.filter((w) => !w.socket.connected).length} ` +
          `disconnected, ${watchers.filter((w) => missing(w) > 0).length} missing posts\n${missingReport(watchers, ids)}`,
        { within: 60_000, every: 100 },
      ).catch(async (error: Error) => {
        // Each node's reader, read once the wait has failed: a node that stopped handing out shows.
        const readers = await Promise.all(cluster.nodes.map((node) => outboxReader(node.url).catch(String)));
        // nginx logs a websocket connection when it closes (written within a second).
        closeWatchers(watchers);
        const log = join(cluster.dir, 'nginx', 'access.log');
        await until(() => tail(log, 100_000).includes('watcher='), "the watchers' connections in nginx's log", {
          within: 5_000,
          every: 100,
        }).catch(() => undefined);
        const access = tail(log, 100_000).split('\n');
        const missed = [...ids].filter((id) => watchers.some((w) => !w.thread.has(id)));
        throw new Error(
          [
            error.message,
            ...readers.map((reader, i) => `node ${i + 1} (port ${cluster.nodes[i]!.port})'s outbox reader: ${reader}`),
            await postsReport(missed.slice(0, 5), ackedAt, heardBy),
            `--- restarts\n${timeline.join('\n')}`,
            ...cluster.nodes.map((node) => `--- node ${node.index}'s log\n${tail(node.logFile, 20)}`),
            `--- nginx: catch-ups (time, node, status, seconds, request)\n${access.filter((line) => line.includes('after=')).join('\n')}`,
            `--- nginx: watchers' connections\n${access.filter((line) => line.includes('watcher=')).join('\n')}`,
          ].join('\n'),
        );
      });
      const twice = watchers.filter((w) => [...w.live.values()].some((count) => count > 1));
      expect(twice.map((w) => w.member.handle)).toEqual([]);
      // Posts a watcher missed live and caught up on because the next one said so (previousId).
      const gaps = watchers.flatMap((w) =>
        w.gaps
          .filter((g) => !g.duringCatchUp)
          .map(
            (g) =>
              `${w.member.handle}: ${g.previousId} missed, told by ${g.post} at ${new Date(performance.timeOrigin + g.at).toISOString()}; ` +
              heardBy
                .map(
                  (heard, i) =>
                    `node ${i + 1}: ${heard.has(g.previousId) ? new Date(heard.get(g.previousId)!).toISOString() : 'no'}`,
                )
                .join(', '),
          ),
      );
      console.log(`posts missed live, then caught up: ${gaps.length}${gaps.length ? `\n${gaps.join('\n')}` : ''}`);
      const reconnectMs = watchers.flatMap((w) => w.outages.map((o) => o.connectedAt! - o.downAt));
      console.log(
        `watchers moved to another node: ${reconnectMs.length} times, reconnect p50 ` +
          `${Math.round(percentile(reconnectMs, 50))} ms, p95 ${Math.round(percentile(reconnectMs, 95))} ms`,
      );
    } finally {
      await closeWatchers(watchers);
      for (const socket of taps) socket.disconnect();
    }
  });
});
