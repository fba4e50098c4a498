/** Socket.IO and the plain WebSocket stream, both over real websockets on the one port. */
import { describe, expect, it } from 'vitest';
import type { PresencePayload } from '@opsi/contracts/realtime';
import {
  createTestApp,
  createTestCase,
  GOOD_PASSWORD,
  listen,
  nextAddress,
  sessionCookie,
  signUp,
  signUpAs,
  uniqueSlug,
} from '../testing.ts';
import {
  ack as emitWithAck,
  closeSockets,
  connectOutcome as outcome,
  listeningAppForFile,
  nextEvent,
  once,
  openSocket,
  openStream,
} from '../testing-sockets.ts';
import { until } from '../testing-until.ts';
import { originAllowed } from './realtime.ts';

const { app, origin } = await listeningAppForFile();

function socket(extraHeaders: Record<string, string> = {}) {
  return openSocket(origin, { headers: extraHeaders });
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
    const seenByA = nextEvent(a, 'presence:changed', (p) => p.watching === 2);
    const second = await emitWithAck<PresencePayload>(b, 'case:watch', { slug: 'my-france-2022' });
    expect(second).toEqual({ ok: true, data: { room: 'case:my-france-2022', watching: 2 } });
    expect(await seenByA).toEqual({ room: 'case:my-france-2022', watching: 2 });

    const afterLeave = nextEvent(a, 'presence:changed', (p) => p.watching === 1);
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
    const http = await listen(node);
    return { node, http, ws: http.replace('http', 'ws') };
  }

  /** A Socket.IO client from `from` (an address in X-Forwarded-For, trusted from loopback). */
  function client(http: string, from: string) {
    return openSocket(http, { headers: { 'x-forwarded-for': from } });
  }

  /** A stream client from `from`: opened, or closed with a code and reason. */
  function streamFrom(ws: string, from: string) {
    return openStream(`${ws}/api/v1/stream`, { 'x-forwarded-for': from });
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
      stream.ws.close();
      await stream.closed;
      let again = await outcome(client(http, from));
      for (let attempt = 0; again !== 'connected' && attempt < 50; attempt += 1) {
        again = await outcome(client(http, from));
      }
      expect(again).toBe('connected');
    } finally {
      closeSockets();
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
      stream.ws.close();
    } finally {
      closeSockets();
      await node.close();
    }
  });
});

describe('Socket.IO across nodes', () => {
  it('closing one node leaves the sockets of the other nodes connected', async () => {
    // The third node only sends the marker below.
    const [other, witness] = await Promise.all([createTestApp(), createTestApp()]);
    const onOther = openSocket(await listen(other));
    const onThis = socket();
    await Promise.all([once(onOther, 'connect'), once(onThis, 'connect')]);
    const id = onThis.id!;
    const dropped: string[] = [];
    onThis.on('disconnect', (reason) => dropped.push(reason));

    const otherGone = once(onOther, 'disconnect');
    await other.close();
    await otherGone;
    // A marker to this socket through the adapter from the third node, sent after the close: the
    // adapter's messages arrive in the order they were sent, so an adapter-wide disconnect from
    // the closing node, had there been one, would have reached this node first.
    const marker = { room: `marker:${uniqueSlug('m')}`, watching: 0 };
    const heard =
      onThis.connected &&
      Promise.race([nextEvent(onThis, 'presence:changed', (p) => p.room === marker.room), once(onThis, 'disconnect')]);
    witness.io.to(id).emit('presence:changed', marker);
    await heard;
    expect(dropped).toEqual([]);
    expect(onThis.connected).toBe(true);
    const watched = await emitWithAck<PresencePayload>(onThis, 'case:watch', { slug: 'my-france-2022' });
    expect(watched.ok).toBe(true);
    await emitWithAck(onThis, 'case:unwatch', { slug: 'my-france-2022' });
    onThis.disconnect();
    await witness.close();
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
    return openStream(`${origin.replace('http', 'ws')}/api/v1/stream${query}`);
  }

  it('replays from `since` in order, then delivers live activity once, filtered by country', async () => {
    const all = stream('?since=0');
    const french = stream('?since=0&country=FR');
    await Promise.all([all.opened, french.opened]);
    await until(() => all.messages.length >= 20, 'the replay', { within: 10_000 });
    const ids = all.messages.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(all.messages[0]).toMatchObject({ verb: 'created', objectType: 'case' });

    const slug = uniqueSlug('live');
    const admin = await signUpAs(app, 'admin');
    await app.cases.create(
      { id: admin.user.id, role: 'admin' },
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
    await until(() => all.messages.some((m) => m.objectId === slug), 'the live activity', { within: 10_000 });
    await until(() => french.messages.some((m) => m.objectId === slug), 'the live activity (FR)', {
      within: 10_000,
    });
    expect(all.messages.filter((m) => m.objectId === slug)).toHaveLength(1);
    expect(french.messages.every((m) => m.countries.includes('FR'))).toBe(true);
    const allIds = all.messages.map((m) => m.id);
    expect(new Set(allIds).size).toBe(allIds.length);

    // Reconnect with the last id seen: nothing is replayed twice.
    const lastSeen = all.messages.at(-1)!.id;
    all.ws.close();
    const resumed = stream(`?since=${lastSeen}`);
    await resumed.opened;
    // A marker written now comes after the whole replay: once it is here, the replay is complete.
    const marker = await createTestCase(app);
    await until(() => resumed.messages.some((m) => m.objectId === marker), 'the marker after the replay', {
      within: 10_000,
    });
    expect(resumed.messages.every((m) => BigInt(m.id) > BigInt(lastSeen))).toBe(true);
    resumed.ws.close();
    french.ws.close();
  });

  it('refuses a malformed `since`', async () => {
    const res = await app.inject({ url: '/api/v1/stream?since=abc' });
    expect(res.statusCode).toBe(400);
  });
});
