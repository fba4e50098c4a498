/**
 * PostgreSQL going away under a running node (`node apps/api/src/server.ts`, a real process) and
 * coming back on the same port and data directory: meanwhile the node stays up, says it is not
 * ready (503 on /api/ready), answers a write with a clear 503 problem at once (not a hang, not a
 * 500); once the database is back it is ready again by itself, and its outbox goes on from where
 * it stopped: a post committed right before the outage and one after it both reach a watching
 * Socket.IO client, once each. Two writers post all along: every answer is a 201 or a prompt 503,
 * and every post acknowledged reaches the watcher once.
 */
import { afterAll, expect, it } from 'vitest';
import { startThrowawayPostgres } from '../../../infra/throwaway-postgres.ts';
import { call, signUp, writePost, type Reply } from './testing.ts';
import { ack, closeSockets, connectSocket, record } from './testing-sockets.ts';
import { startServer } from './testing-processes.ts';
import { eventually, until } from './testing-until.ts';

const SLUG = 'my-france-2022'; // a demo case (SEED_DEMO)

// Commits durable as in production: PostgreSQL crashes (halt('immediate')) and must not forget
// what it acknowledged (with synchronous_commit off it would, and would hand out their
// transaction ids again, which the outbox's order relies on never going back: see the README).
const postgres = await startThrowawayPostgres({ database: 'opsi_restart', durableCommits: true });
afterAll(() => {
  closeSockets();
  postgres.stop();
});

it('outlives a PostgreSQL restart: 503 while it is gone, ready again by itself, the outbox resumes', async () => {
  const node = await startServer({ DATABASE_URL: postgres.url, SEED_DEMO: 'true', NEW_MEMBER_DAYS: '0' });
  const member = await signUp(node.origin);
  const watcher = await connectSocket(node.origin);
  const heard = record(watcher);
  expect(await ack(watcher, 'case:watch', { slug: SLUG })).toMatchObject({ ok: true });

  // Load: two writers posting one after another all along, before, during and after the outage.
  let writing = true;
  const outcomes: { status: number; ms: number; id?: string }[] = [];
  const writer = async (n: number) => {
    for (let i = 0; writing; i += 1) {
      const started = Date.now();
      const res = await call(node.origin, member, {
        method: 'POST',
        url: `/api/v1/cases/${SLUG}/posts`,
        payload: { body: `Writer ${n}, post ${i}` },
      }).catch(() => null);
      const status = res?.statusCode ?? -1;
      outcomes.push({
        status,
        ms: Date.now() - started,
        ...(status === 201 ? { id: res!.json<{ id: string }>().id } : {}),
      });
    }
  };
  const writers = [writer(1), writer(2)];

  // Committed; the database goes at once, without waiting for the post to be heard.
  const before = await writePost(node.origin, member, SLUG, 'Written right before the database goes away');
  postgres.halt('immediate');
  const down = Date.now();

  await eventually(
    () => call(node.origin, null, { url: '/api/ready' }),
    (res) => res.statusCode === 503,
    'the node to say it is not ready',
  );
  const started = Date.now();
  const refused: Reply = await call(node.origin, member, {
    method: 'POST',
    url: `/api/v1/cases/${SLUG}/posts`,
    payload: { body: 'Written while the database is away' },
  });
  expect(Date.now() - started, 'a prompt answer, not a hang').toBeLessThan(5000);
  expect(refused.statusCode, refused.body).toBe(503);
  expect(refused.json()).toMatchObject({ error: { code: 'service_unavailable' } });
  expect(refused.headers['retry-after']).toBe('5');

  await until(
    () => outcomes.filter((o) => o.status === 503).length >= 6,
    'the writers to be answered 503 a few times while the database is away',
  );
  postgres.resume();
  const up = Date.now();
  await eventually(
    () => call(node.origin, null, { url: '/api/ready' }),
    (res) => res.statusCode === 200,
    'the node to be ready again',
  );
  const readyAgain = Date.now();
  const after = await writePost(node.origin, member, SLUG, 'Written once the database is back');
  writing = false;
  await Promise.all(writers);

  await heard.next('post:created', (p) => p.id === before.id);
  await heard.next('post:created', (p) => p.id === after.id);
  const ids = heard.of('post:created').map((p) => p.id);
  expect(ids.filter((id) => id === before.id)).toHaveLength(1);
  expect(ids.filter((id) => id === after.id)).toHaveLength(1);

  // Under load: every answer was a 201 or a prompt 503, never a 500, a hang or a dropped connection,
  // and every post acknowledged (201) reached the watcher, once.
  const statuses = new Set(outcomes.map((o) => o.status));
  expect([...statuses].sort()).toEqual([201, 503]);
  expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(5000);
  const acknowledged = outcomes.flatMap((o) => (o.id ? [o.id] : []));
  for (const id of acknowledged) await heard.next('post:created', (p) => p.id === id);
  const all = heard.of('post:created').map((p) => p.id);
  expect(new Set(all).size, 'no post heard twice').toBe(all.length);

  // Its caches heard nothing while it was away: it empties them when it listens again (its own
  // reconnection, with its own backoff: it may come after the posts).
  await eventually(
    () => node.logs().some((l) => String(l.msg).startsWith('listening for invalidations again')),
    (listening) => listening,
    'the node to listen for invalidations again and empty its caches',
  );

  // It never fell over: still running, no unhandled rejection, and it stops cleanly.
  expect(node.child.exitCode).toBeNull();
  expect(node.output()).not.toMatch(/unhandled ?rejection|uncaught/i);
  expect((await node.stop()).code).toBe(0);
  const refusedCount = outcomes.filter((o) => o.status === 503).length;
  console.info(
    `postgres restart: down ${up - down} ms; ready again ${readyAgain - up} ms after PostgreSQL was back; ` +
      `${outcomes.length} writes under load: ${acknowledged.length} acknowledged (all heard once), ${refusedCount} answered 503, 0 other`,
  );
}, 180_000);
