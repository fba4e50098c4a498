/**
 * Graceful drain, on real processes (`node apps/api/src/server.ts`): on SIGTERM a node refuses new
 * connections at once, answers the request it was in the middle of, tells its Socket.IO and
 * stream clients to reconnect, hands back the job it was running (its mail server hangs), and
 * exits 0 within SHUTDOWN_GRACE_MS; another node then runs that job at once, not after its lease.
 */
import { Agent, request as httpRequest } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createDatabase } from '@opsi/db/database';
import { freePort } from '../../../infra/throwaway-postgres.ts';
import { GOOD_PASSWORD, signUp, testDatabaseUrl } from './testing.ts';
import { closeSockets, openStream } from './testing-sockets.ts';
import { refusesConnections, startServer } from './testing-processes.ts';
import { eventually, until } from './testing-until.ts';

const GRACE_MS = 6000;
const LEASE_SECONDS = 300; // plugins/jobs.ts

const database = await createDatabase({ databaseUrl: testDatabaseUrl(), dataDir: '' });
// A mail server that accepts connections and never says a word: the job that mails hangs.
const mailConnections: Socket[] = [];
const silentMail = createServer((socket) => mailConnections.push(socket));
const mailPort = await freePort();
await new Promise<void>((resolve) => silentMail.listen(mailPort, '127.0.0.1', resolve));
afterAll(async () => {
  closeSockets();
  for (const socket of mailConnections) socket.destroy();
  silentMail.close();
  await database.close();
});

function verificationJob(userId: string) {
  return database.kysely
    .selectFrom('jobs')
    .select(['id', 'attempts', 'locked_until', 'done_at', 'payload'])
    .where('kind', '=', 'email.verification')
    .execute()
    .then((rows) => rows.find((r) => (r.payload as { userId?: string }).userId === userId));
}

/** A sign-in whose body is held back after its first half: the request is under way until `finish()`. */
function heldSignIn(port: number, email: string) {
  const body = JSON.stringify({ email, password: GOOD_PASSWORD });
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': 'held-sign-in-1',
    },
  });
  const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.once('error', reject);
  });
  req.write(body.slice(0, 10));
  return { answer, finish: () => req.end(body.slice(10)) };
}

it('drains on SIGTERM: refuses, answers, tells its sockets, hands its job back, exits 0 in time', async () => {
  const node = await startServer({
    JOBS: 'true',
    JOBS_KINDS: 'email.verification',
    SMTP_URL: `smtp://127.0.0.1:${mailPort}`,
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  });

  // The sign-up's verification email: this node claims it, and its mail server never answers.
  const member = await signUp(node.origin);
  await until(() => mailConnections.length > 0, 'the node to connect to the mail server');
  const claimed = await verificationJob(member.user.id);
  expect(claimed?.attempts).toBe(1);
  expect(claimed?.locked_until?.getTime()).toBeGreaterThan(Date.now());

  // Live clients: a Socket.IO client (reconnecting, as browsers' are) and a stream client.
  const live = io(node.origin, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 });
  await new Promise<void>((resolve) => live.once('connect', () => resolve()));
  const disconnected = new Promise<string>((resolve) => live.once('disconnect', (reason) => resolve(reason)));
  const retried = new Promise<void>((resolve) => live.io.once('reconnect_attempt', () => resolve()));
  const stream = openStream(`${node.origin.replace('http', 'ws')}/api/v1/stream`);
  await stream.opened;

  // A request under way: its headers are in, its body is not.
  const held = heldSignIn(node.port, `${member.handle}@example.org`);
  await until(
    () => node.logs().some((l) => l.msg === 'incoming request' && l.reqId === 'held-sign-in-1'),
    'the held request to arrive',
  );

  const signalled = Date.now();
  node.signal('SIGTERM');
  await until(() => refusesConnections(node.port), 'new connections to be refused', { every: 10 });
  const refusedAt = Date.now();
  expect(node.child.exitCode, 'still running while a request is under way').toBeNull();

  // Its live clients are told to reconnect: a Socket.IO client sees its transport close (it then
  // reconnects by itself; "io server disconnect" would leave it waiting), a stream client 1012.
  expect(await disconnected).toBe('transport close');
  await retried;
  live.disconnect();
  expect(await stream.closed).toMatchObject({ code: 1012 });

  // The request under way is answered, and told the connection closes.
  held.finish();
  expect(await held.answer).toEqual({ status: 200, connection: 'close' });

  const exit = await node.exited;
  expect(exit.code, node.output()).toBe(0);
  expect(exit.at - signalled).toBeLessThan(GRACE_MS);

  // The job it was running is handed back: no lease left, not done, its one attempt counted.
  const handedBack = await verificationJob(member.user.id);
  expect(handedBack).toMatchObject({ attempts: 1, locked_until: null, done_at: null });
  expect(node.logs().some((l) => l.msg === 'a job still running was handed back to the queue')).toBe(true);

  // Another node takes it at once (its first look), not after the lease would have expired.
  const other = await startServer({ JOBS: 'true', JOBS_KINDS: 'email.verification' });
  const otherReady = Date.now();
  const done = await eventually(
    () => verificationJob(member.user.id),
    (job) => job?.done_at != null,
    'the other node to run the job handed back',
    { within: 20_000, every: 50 },
  );
  const doneAt = Date.now();
  expect(done?.attempts).toBe(2);
  expect(Date.now() - exit.at).toBeLessThan(LEASE_SECONDS * 1000);
  expect((await other.stop()).code).toBe(0);
  console.info(
    `drain: refused new connections ${refusedAt - signalled} ms after SIGTERM, exited 0 after ${exit.at - signalled} ms` +
      ` (bound ${GRACE_MS}); the job handed back was done by another node ${doneAt - otherReady} ms after it started serving`,
  );
}, 120_000);

/** A request on `agent` (keep-alive, one socket): its status, its Connection header, whether it reused the socket. */
function send(agent: Agent, port: number, method: string, path: string, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Promise<{ status: number; connection: string | undefined; reused: boolean }>((resolve, reject) => {
    const req = httpRequest({
      agent,
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {},
    });
    req.once('response', (res) => {
      res.resume();
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket }),
      );
    });
    req.once('error', reject);
    req.end(text);
  });
}

it('leaves an idle keep-alive connection to its client (a proxy) for a while: a POST sent on it is answered', async () => {
  const IDLE_WAIT_MS = 1500;
  const node = await startServer({ SHUTDOWN_GRACE_MS: String(GRACE_MS), DRAIN_IDLE_WAIT_MS: String(IDLE_WAIT_MS) });
  const member = await signUp(node.origin);
  // Two pooled connections, as a proxy keeps: one used again after the signal, one left idle.
  const used = new Agent({ keepAlive: true, maxSockets: 1 });
  const idle = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect((await send(used, node.port, 'GET', '/api/health')).status).toBe(200);
    expect((await send(idle, node.port, 'GET', '/api/health')).status).toBe(200);
    const idleSocket = Object.values(idle.freeSockets)[0]![0]!;
    const idleClosed = new Promise<number>((resolve) => idleSocket.once('close', () => resolve(Date.now())));

    const signalled = Date.now();
    node.signal('SIGTERM');
    await until(() => refusesConnections(node.port), 'new connections to be refused', { every: 10 });
    // The proxy sends a POST on the connection it held: answered, and told the connection closes
    // (a proxy never sends a POST again, so a connection closed under it would have been a 502).
    const login = await send(used, node.port, 'POST', '/api/v1/auth/login', {
      email: `${member.handle}@example.org`,
      password: GOOD_PASSWORD,
    });
    expect(login).toEqual({ status: 200, connection: 'close', reused: true });
    // The connection nobody used is closed by the node once DRAIN_IDLE_WAIT_MS has passed, not before.
    expect((await idleClosed) - signalled).toBeGreaterThanOrEqual(IDLE_WAIT_MS);
    const exit = await node.exited;
    expect(exit.code, node.output()).toBe(0);
    expect(exit.at - signalled).toBeLessThan(GRACE_MS);
  } finally {
    used.destroy();
    idle.destroy();
  }
}, 60_000);
