/**
 * Socket.IO on the same origin and port: rooms per user and per session, the rooms modules
 * register (a case, an event: `fastify.realtime.rooms`), presence counts, and an acknowledgement
 * envelope on every client event (modules answer theirs through `fastify.realtime.handle`). With
 * PostgreSQL, the Postgres adapter joins the nodes of a cluster (its attachments table comes from
 * a migration).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';
import { createAdapter } from '@socket.io/postgres-adapter';
import type pg from 'pg';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import type { Ack, ClientEvents, PresencePayload, ServerEvents } from '@opsi/contracts/realtime';
import type { Config } from '../config.ts';
import type { SessionUser } from './session.ts';
import { originOf } from './csrf.ts';
import { createSocketLimits, TOO_MANY_SOCKETS, type SocketLimits } from './socket-limits.ts';

export interface SocketData {
  user?: SessionUser;
}
/** What nodes tell each other through the adapter (serverSideEmit), beside what they send sockets. */
export interface InterServerEvents {
  /** Notifications just written by the notifier's node: ids, and the member of each, in order. */
  'notifications:written': (notice: { ids: string[]; users: string[] }) => void;
}
export type RealtimeServer = Server<ClientEvents, ServerEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientEvents, ServerEvents, InterServerEvents, SocketData>;

/** The kinds of room the client event map lets sockets watch (`<kind>:watch`): 'case', 'event'. */
export type RoomKind = { [E in keyof ClientEvents]: E extends `${infer K}:watch` ? K : never }[keyof ClientEvents];
/** The client events a module answers itself (all but watching and unwatching rooms). */
export type HandledEvent = Exclude<keyof ClientEvents, `${RoomKind}:watch` | `${RoomKind}:unwatch`>;
type AckOf<E extends keyof ClientEvents> = Parameters<ClientEvents[E]>[1];

/** Why a socket may not watch a room, or null when it may. */
export type Refusal = 'unauthorized' | 'forbidden' | null;

export interface Realtime {
  rooms: {
    /**
     * Lets sockets watch rooms `<kind>:<slug>` for the slugs `exists` knows (404 otherwise), with
     * presence counts; the module that owns the kind registers it. `refuse`, when given, says why
     * this socket's user may not watch this room (`unauthorized`, `forbidden`), or null to let them.
     */
    register(
      kind: RoomKind,
      exists: (slug: string) => Promise<boolean>,
      refuse?: (user: SessionUser | undefined, slug: string) => Refusal | Promise<Refusal>,
    ): void;
  };
  /**
   * Answers a client event on every socket. The payload is as the client sent it (check it);
   * `reply` is the acknowledgement, or does nothing when the client asked for none.
   */
  handle<E extends HandledEvent>(
    event: E,
    handler: (socket: RealtimeSocket, payload: unknown, reply: AckOf<E>) => void,
  ): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
    realtime: Realtime;
    /** Concurrent sockets per client address, Socket.IO and the stream together. */
    socketLimits: SocketLimits;
  }
}

const SLUG = /^[a-z0-9-]{2,40}$/;

/** The slug a client event carries, when it is one. */
export function slugOf(payload: unknown): string | null {
  const slug = (payload as { slug?: unknown } | null)?.slug;
  return typeof slug === 'string' && SLUG.test(slug) ? slug : null;
}

/**
 * Browsers send Origin; it must be ours or the origin the request itself came to, scheme, host and
 * port alike (the same host over plain http is another site). Other clients send none.
 */
export function originAllowed(origin: string | undefined, requestOrigin: string, publicOrigin: string): boolean {
  if (!origin) return true;
  const given = originOf(origin);
  return given !== null && (given === originOf(publicOrigin) || given === originOf(requestOrigin));
}

/** The last value of a forwarded header (the one the trusted proxy set). */
function lastValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.at(-1) : header;
  return value?.split(',').at(-1)?.trim() || undefined;
}

/** The origin a raw request came to, as Fastify reads it (X-Forwarded-* from trusted proxies only). */
export function requestOriginOf(request: IncomingMessage, trusted: (address: string, i: number) => boolean): string {
  const viaProxy = trusted(request.socket.remoteAddress ?? '', 0);
  const scheme = (request.socket as TLSSocket).encrypted
    ? 'https'
    : ((viaProxy ? lastValue(request.headers['x-forwarded-proto']) : undefined) ?? 'http');
  const host = (viaProxy ? lastValue(request.headers['x-forwarded-host']) : undefined) ?? request.headers.host ?? '';
  return `${scheme}://${host}`;
}

/**
 * The Postgres adapter takes a pool client for LISTEN shortly after start; closed before it has
 * it, the adapter forgets to release it and the pool never ends. Give it (boundedly) the time to
 * hold it, so closing releases it. Reads the adapter's `client.client`, which it sets when ready.
 */
async function adapterSettled(adapter: unknown): Promise<void> {
  const pubsub = (adapter as { client?: { client?: unknown } }).client;
  if (!pubsub || typeof pubsub !== 'object') return;
  const deadline = Date.now() + 5000;
  while (pubsub.client === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Closing, the cluster adapter tells the other nodes it is leaving (so they stop waiting for its
 * answers to presence counts) but does not wait for that message to be sent: the pool could end
 * first, and the others would wait for a dead node until its heartbeat expires. Waits (boundedly)
 * for what the adapter publishes while closing. Wraps the adapter's `doPublish`.
 */
async function closeAnnounced(adapter: { close?: () => unknown }): Promise<void> {
  const publishing = adapter as { doPublish?: (message: unknown) => Promise<unknown> };
  const sent: Promise<unknown>[] = [];
  if (typeof publishing.doPublish === 'function') {
    const original = publishing.doPublish.bind(adapter);
    publishing.doPublish = (message) => {
      const done = original(message);
      sent.push(done.catch(() => undefined));
      return done;
    };
  }
  await adapter.close?.();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(sent),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 2000);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * The Postgres adapter LISTENs on a client it takes from the pool, with no 'error' listener (a
 * database restart would crash the process on an unhandled 'error' event), and never gives it back
 * when its connection ends (each restart would cost the pool a connection for good). It gets a
 * pool whose `connect` hands out clients that report their error and go back to the pool broken,
 * after which the adapter listens again on a new one by itself.
 */
function adapterPool(pool: pg.Pool, onError: (error: Error) => void): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    const release = client.release.bind(client);
    let released = false;
    const onClientError = (error: Error) => {
      onError(error);
      client.release(error);
    };
    client.release = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener('error', onClientError);
      release(error);
    };
    client.on('error', onClientError);
    return client;
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'connect') return connect;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const PRESENCE_QUIET_MS = 250;
/** How long a presence count waits for the other nodes' answers. */
const COUNT_TIMEOUT_MS = 2000;

export function fail(
  code: 'validation_failed' | 'not_found' | 'unauthorized' | 'forbidden',
  message: string,
): Ack<never> {
  return { ok: false, error: { code, message } };
}

async function realtimePlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const trusted = proxyAddr.compile(config.trustProxy);
  const io: RealtimeServer = new Server({
    path: '/socket.io/',
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) =>
      callback(null, originAllowed(req.headers.origin, requestOriginOf(req, trusted), config.publicOrigin)),
  });
  const limits = createSocketLimits({
    max: config.socketsPerAddress,
    enabled: config.abuseLimits,
    trustProxy: config.trustProxy,
  });
  if (fastify.database.pool) {
    const onError = (error: Error) => fastify.log.warn({ err: error }, 'socket.io postgres adapter error');
    io.adapter(createAdapter(adapterPool(fastify.database.pool, onError), { errorHandler: onError }));
  }

  // Let engine.io take its polling requests, but route its websocket upgrades through the dispatcher.
  const before = new Set(fastify.server.listeners('upgrade'));
  io.attach(fastify.server);
  for (const listener of fastify.server.listeners('upgrade')) {
    if (!before.has(listener)) fastify.server.removeListener('upgrade', listener as (...args: unknown[]) => void);
  }
  fastify.routeUpgrades('/socket.io/', (request, socket, head) => io.engine.handleUpgrade(request, socket, head));

  /**
   * Sockets in a room on every node. A node that just died does not answer until the adapter
   * forgets it (its heartbeat expires, 10 s): the count then fails after COUNT_TIMEOUT_MS.
   */
  async function countWatching(room: string) {
    return (await io.in(room).timeout(COUNT_TIMEOUT_MS).fetchSockets()).length;
  }

  // Presence is announced once per room after a short quiet period, not once per join: a
  // conference page opened by 500 people at once would otherwise send 500 × 500 messages.
  const presenceTimers = new Map<string, NodeJS.Timeout>();
  function announcePresence(room: string) {
    if (presenceTimers.has(room)) return;
    const timer = setTimeout(() => {
      presenceTimers.delete(room);
      countWatching(room).then(
        (watching) => io.to(room).emit('presence:changed', { room, watching }),
        () => undefined,
      );
    }, PRESENCE_QUIET_MS);
    timer.unref();
    presenceTimers.set(room, timer);
  }

  // Rooms and client events, registered by the modules before the server takes connections.
  const roomKinds = new Map<string, (slug: string) => Promise<boolean>>();
  const roomRefusals = new Map<string, (user: SessionUser | undefined, slug: string) => Refusal | Promise<Refusal>>();
  const handlers = new Map<string, (socket: RealtimeSocket, payload: unknown, reply: AckOf<HandledEvent>) => void>();
  /** Client events the server answers; anything else gets an error acknowledgement. */
  const clientEvents = new Set<string>();

  /** The client's acknowledgement, or nothing when it asked for none. */
  function replier<T>(ack: unknown): (response: Ack<T>) => void {
    return typeof ack === 'function' ? (ack as (response: Ack<T>) => void) : () => undefined;
  }

  function onConnection(socket: RealtimeSocket) {
    for (const [kind, exists] of roomKinds) {
      socket.on(`${kind as RoomKind}:watch`, async (payload: unknown, ack: unknown) => {
        const reply = replier<PresencePayload>(ack);
        const slug = slugOf(payload);
        if (!slug) return reply(fail('validation_failed', `slug must be a ${kind} slug`));
        try {
          const refusal = (await roomRefusals.get(kind)?.(socket.data.user, slug)) ?? null;
          if (refusal) return reply(fail(refusal, `You may not watch this ${kind} room`));
          if (!(await exists(slug))) return reply(fail('not_found', `No ${kind} "${slug}"`));
          const room = `${kind}:${slug}`;
          await socket.join(room);
          // While a dead node is not yet forgotten, this node's own count: the socket watches all the
          // same, and the clients it dropped, reconnected here, are answered instead of refused.
          const watching = await countWatching(room).catch(async () => (await io.local.in(room).fetchSockets()).length);
          announcePresence(room);
          reply({ ok: true, data: { room, watching } });
        } catch (error) {
          fastify.log.error({ err: error }, `${kind}:watch failed`);
          reply({ ok: false, error: { code: 'internal_error', message: `Could not watch this ${kind}` } });
        }
      });

      socket.on(`${kind as RoomKind}:unwatch`, async (payload: unknown, ack: unknown) => {
        const reply = replier<null>(ack);
        const slug = slugOf(payload);
        if (!slug) return reply(fail('validation_failed', `slug must be a ${kind} slug`));
        const room = `${kind}:${slug}`;
        await socket.leave(room);
        reply({ ok: true, data: null });
        announcePresence(room);
      });
    }

    for (const [event, handler] of handlers) {
      socket.on(event as HandledEvent, (payload: unknown, ack: unknown) =>
        handler(socket, payload, replier(ack) as AckOf<HandledEvent>),
      );
    }

    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && clientEvents.has(event)) return;
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as (response: Ack<never>) => void)(
          fail('validation_failed', `Unknown event "${String(event).slice(0, 60)}"`),
        );
      }
    });

    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((r) => roomKinds.has(r.slice(0, r.indexOf(':'))));
      // After the socket has left its rooms, tell the others how many remain.
      setImmediate(() => {
        for (const room of rooms) announcePresence(room);
      });
    });
  }

  // At most SOCKETS_PER_ADDRESS sockets per address: checked first, so a refused handshake costs no
  // session lookup. The place is given back when the socket disconnects, or when its connection
  // closes without ever joining (a later check refused it).
  io.use((socket, next) => {
    const release = limits.acquire(limits.addressOf(socket.request));
    if (!release) {
      return next(Object.assign(new Error(TOO_MANY_SOCKETS), { data: { code: 'rate_limited' } }));
    }
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  });

  // The session cookie authenticates the handshake; anonymous sockets may still watch public rooms.
  io.use((socket, next) => {
    const header = socket.request.headers.cookie;
    const token = header ? fastify.parseCookie(header)[fastify.sessions.cookieName] : undefined;
    if (!token) return next();
    fastify.sessions.validate(token).then(
      (found) => {
        if (found) {
          socket.data.user = found.user;
          void socket.join([`user:${found.user.id}`, `session:${found.sessionId}`]);
        }
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error('session check failed')),
    );
  });
  fastify.sessions.onRevoke((ids) => {
    for (const id of ids) io.in(`session:${id}`).disconnectSockets(true);
  });

  io.on('connection', onConnection);

  fastify.decorate('io', io);
  fastify.decorate('realtime', {
    rooms: {
      register(kind, exists, refuse) {
        roomKinds.set(kind, exists);
        if (refuse) roomRefusals.set(kind, refuse);
        clientEvents.add(`${kind}:watch`).add(`${kind}:unwatch`);
      },
    },
    handle(event, handler) {
      handlers.set(event, handler as (socket: RealtimeSocket, payload: unknown, reply: AckOf<HandledEvent>) => void);
      clientEvents.add(event);
    },
  } satisfies Realtime);
  fastify.decorate('socketLimits', limits);
  // Draining: close this node's connections (not a Socket.IO disconnect, after which clients wait
  // to be told to connect again): every client sees "transport close" and reconnects by itself,
  // after its randomised reconnection delay, to whichever node the balancer gives it (this one
  // accepts no more connections), then catches up as after any reconnection.
  fastify.drain.onDrain(async () => {
    io.engine.close();
  });
  fastify.addHook('preClose', async () => {
    for (const timer of presenceTimers.values()) clearTimeout(timer);
    presenceTimers.clear();
    // Only this node's sockets: through the adapter this would disconnect every node's.
    io.local.disconnectSockets(true);
    io.engine.close();
    const adapter = io.of('/').adapter;
    await adapterSettled(adapter);
    await closeAnnounced(adapter);
  });
}

export default fp(realtimePlugin, { name: 'realtime', dependencies: ['database', 'upgrades', 'session', 'drain'] });
