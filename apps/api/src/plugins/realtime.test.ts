/** Socket.IO and the plain WebSocket stream, both over real websockets on the one port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { Ack, PresencePayload, StreamActivity } from '@opsi/contracts/realtime';
import { createTestApp, GOOD_PASSWORD, nextAddress, sessionCookie, signUp, uniqueSlug } from '../testing.ts';
import { originAllowed } from './realtime.ts';

let app: FastifyInstance;
let origin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await createTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app.close();
});

function socket(extraHeaders: Record<string, string> = {}): Socket {
  const s = connect(origin, { transports: ['websocket'], reconnection: false, extraHeaders });
  sockets.push(s);
  return s;
}

function emitWithAck<T>(s: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return s.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

function once<T>(s: Socket, event: string): Promise<T> {
  return new Promise((resolve) => s.once(event, resolve));
}

/** The first `event` whose payload passes `check` (presence updates from a cluster may interleave). */
function firstMatching<T>(s: Socket, event: string, check: (payload: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const listener = (payload: T) => {
      if (!check(payload)) return;
      s.off(event, listener);
      resolve(payload);
    };
    s.on(event, listener);
  });
}

describe('Socket.IO', () => {
  it('connects over the websocket transport and watches a case room with presence counts', async () => {
    const a = socket();
    await once(a, 'connect');
    expect(a.io.engine.transport.name).toBe('websocket');

    const first = await emitWithAck<PresencePayload>(a, 'case:watch', { slug: 'my-france-2022' });
    expect(first).toEqual({ ok: true, data: { room: 'case:my-france-2022', watching: 1 } });

    const b = socket();
    await once(b, 'connect');
    const seenByA = firstMatching<PresencePayload>(a, 'presence:changed', (p) => p.watching === 2);
    const second = await emitWithAck<PresencePayload>(b, 'case:watch', { slug: 'my-france-2022' });
    expect(second).toEqual({ ok: true, data: { room: 'case:my-france-2022', watching: 2 } });
    expect(await seenByA).toEqual({ room: 'case:my-france-2022', watching: 2 });

    const afterLeave = firstMatching<PresencePayload>(a, 'presence:changed', (p) => p.watching === 1);
    b.disconnect();
    expect(await afterLeave).toEqual({ room: 'case:my-france-2022', watching: 1 });
  });

  it('answers malformed and unknown watch requests with an error ack and stays up', async () => {
    const s = socket();
    await once(s, 'connect');
    for (const payload of [
      null,
      42,
      'my-france-2022',
      { slug: 7 },
      { slug: 'NOT VALID' },
      { slug: 'x'.repeat(5000) },
    ]) {
      const ack = await emitWithAck(s, 'case:watch', payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await emitWithAck(s, 'case:watch', { slug: 'no-such-case' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    expect(s.connected).toBe(true);
  });

  it('refuses a browser handshake from another origin', async () => {
    const s = socket({ origin: 'https://evil.example' });
    const error = await once<Error>(s, 'connect_error');
    expect(error).toBeInstanceOf(Error);
    expect(s.connected).toBe(false);
    // This very host, but over https: another origin.
    const otherScheme = socket({ origin: origin.replace('http:', 'https:') });
    const answer = await new Promise<string>((resolve) => {
      otherScheme.once('connect', () => resolve('connected'));
      otherScheme.once('connect_error', () => resolve('refused'));
    });
    expect(answer).toBe('refused');
    const site = 'https://network.example.org';
    expect(originAllowed('https://evil.example', site, site)).toBe(false);
    expect(originAllowed(site, site, site)).toBe(true);
    expect(originAllowed(undefined, 'http://x', site)).toBe(true);
    // The same host under another scheme or on another port is another site.
    expect(originAllowed('http://network.example.org', site, site)).toBe(false);
    expect(originAllowed('https://network.example.org:8443', site, site)).toBe(false);
    expect(originAllowed('http://10.0.0.5:3000', 'http://10.0.0.5:3000', site)).toBe(true);
    expect(originAllowed('https://10.0.0.5:3000', 'http://10.0.0.5:3000', site)).toBe(false);
  });
});

describe('sockets per address', () => {
  async function listening(overrides: Record<string, string>) {
    const node = await createTestApp(overrides);
    await node.listen({ port: 0, host: '127.0.0.1' });
    const address = node.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return { node, http: `http://127.0.0.1:${address.port}`, ws: `ws://127.0.0.1:${address.port}` };
  }

  /** A Socket.IO client from `from` (an address in X-Forwarded-For, trusted from loopback). */
  function client(http: string, from: string): Socket {
    const s = connect(http, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { 'x-forwarded-for': from },
    });
    sockets.push(s);
    return s;
  }

  /** Connected, or the connect_error with its message and data. */
  function outcome(s: Socket): Promise<'connected' | { message: string; data: unknown }> {
    return new Promise((resolve) => {
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (error: Error & { data?: unknown }) =>
        resolve({ message: error.message, data: error.data }),
      );
    });
  }

  /** A stream client from `from`: opened, or closed with a code and reason. */
  function streamFrom(ws: string, from: string) {
    const socket = new WebSocket(`${ws}/api/v1/stream`, { headers: { 'x-forwarded-for': from } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return { socket, opened, closed };
  }

  it('refuses sockets past SOCKETS_PER_ADDRESS from one address (Socket.IO and stream together), not from others', async () => {
    const { node, http, ws } = await listening({ SOCKETS_PER_ADDRESS: '2' });
    try {
      const from = '203.0.113.77';
      const first = client(http, from);
      expect(await outcome(first)).toBe('connected');
      const stream = streamFrom(ws, from);
      await stream.opened;

      const third = client(http, from);
      expect(await outcome(third)).toEqual({
        message: expect.stringMatching(/too many connections/i),
        data: { code: 'rate_limited' },
      });
      const fourth = streamFrom(ws, from);
      expect(await fourth.closed).toEqual({ code: 1008, reason: expect.stringMatching(/too many connections/i) });

      // Another address is not affected.
      expect(await outcome(client(http, '203.0.113.78'))).toBe('connected');

      // Once one closes, its place is free again (the server hears the close a moment later).
      stream.socket.close();
      await stream.closed;
      let again = await outcome(client(http, from));
      for (let attempt = 0; again !== 'connected' && attempt < 50; attempt += 1) {
        again = await outcome(client(http, from));
      }
      expect(again).toBe('connected');
    } finally {
      for (const s of sockets) s.disconnect();
      await node.close();
    }
  });

  it('ABUSE_LIMITS=off lifts the cap (load tests)', async () => {
    const { node, http, ws } = await listening({ SOCKETS_PER_ADDRESS: '1', ABUSE_LIMITS: 'off' });
    try {
      const from = '203.0.113.79';
      const results = await Promise.all([outcome(client(http, from)), outcome(client(http, from))]);
      expect(results).toEqual(['connected', 'connected']);
      const stream = streamFrom(ws, from);
      await stream.opened;
      stream.socket.close();
    } finally {
      for (const s of sockets) s.disconnect();
      await node.close();
    }
  });
});

describe('Socket.IO across nodes', () => {
  it('closing one node leaves the sockets of the other nodes connected', async () => {
    const other = await createTestApp();
    await other.listen({ port: 0, host: '127.0.0.1' });
    const address = other.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const onOther = connect(`http://127.0.0.1:${address.port}`, { transports: ['websocket'], reconnection: false });
    const onThis = socket();
    await Promise.all([once(onOther, 'connect'), once(onThis, 'connect')]);
    const dropped: string[] = [];
    onThis.on('disconnect', (reason) => dropped.push(reason));

    const otherGone = once(onOther, 'disconnect');
    await other.close();
    await otherGone;
    // Give an adapter-wide disconnect, had there been one, the time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    expect(dropped).toEqual([]);
    expect(onThis.connected).toBe(true);
    const watched = await emitWithAck<PresencePayload>(onThis, 'case:watch', { slug: 'my-france-2022' });
    expect(watched.ok).toBe(true);
    await emitWithAck(onThis, 'case:unwatch', { slug: 'my-france-2022' });
    onThis.disconnect();
  });
});

describe('Socket.IO sessions', () => {
  it('authenticates the handshake by the session cookie and closes the sockets of a revoked session', async () => {
    const { cookie, handle } = await signUp(app);
    const other = sessionCookie(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD },
        remoteAddress: nextAddress(),
      }),
    );
    const signedIn = socket({ cookie });
    const second = socket({ cookie: other });
    await Promise.all([once(signedIn, 'connect'), once(second, 'connect')]);

    const closed = once<string>(signedIn, 'disconnect');
    const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect(second.connected).toBe(true);

    // A password change closes the sockets of every other session.
    const third = sessionCookie(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD },
        remoteAddress: nextAddress(),
      }),
    );
    const secondClosed = once<string>(second, 'disconnect');
    const change = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: third },
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'a different passphrase 2026' },
    });
    expect(change.statusCode).toBe(204);
    expect(await secondClosed).toBe('io server disconnect');
  });
});

describe('plain WebSocket stream /api/v1/stream', () => {
  function stream(query: string) {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api/v1/stream${query}`);
    const messages: StreamActivity[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as StreamActivity));
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { ws, messages, opened };
  }

  async function until(check: () => boolean, what: string) {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('replays from `since` in order, then delivers live activity once, filtered by country', async () => {
    const all = stream('?since=0');
    const french = stream('?since=0&country=FR');
    await Promise.all([all.opened, french.opened]);
    await until(() => all.messages.length >= 20, 'the replay');
    const ids = all.messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(all.messages[0]).toMatchObject({ verb: 'created', objectType: 'case' });

    const slug = uniqueSlug('live');
    await app.cases.create(
      { id: '1', role: 'admin' },
      {
        slug,
        title: 'A live case for the stream',
        summary: 'Created while two stream clients listen.',
        countries: ['FR'],
        themes: ['open-government'],
        year: 2026,
        organisation: 'Test',
        levelOfGovernment: 'national',
        stage: 'idea',
      },
    );
    await until(() => all.messages.some((m) => m.objectId === slug), 'the live activity');
    await until(() => french.messages.some((m) => m.objectId === slug), 'the live activity (FR)');
    expect(all.messages.filter((m) => m.objectId === slug)).toHaveLength(1);
    expect(french.messages.every((m) => m.countries.includes('FR'))).toBe(true);
    const allIds = all.messages.map((m) => m.id);
    expect(new Set(allIds).size).toBe(allIds.length);

    // Reconnect with the last id seen: nothing is replayed twice.
    const lastSeen = all.messages.at(-1)!.id;
    all.ws.close();
    const resumed = stream(`?since=${lastSeen}`);
    await resumed.opened;
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.messages.every((m) => BigInt(m.id) > BigInt(lastSeen))).toBe(true);
    resumed.ws.close();
    french.ws.close();
  });

  it('refuses a malformed `since`', async () => {
    const res = await app.inject({ url: '/api/v1/stream?since=abc' });
    expect(res.statusCode).toBe(400);
  });
});
