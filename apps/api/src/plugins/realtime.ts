/**
 * Socket.IO on the same origin and port: rooms per case (later per event and per user), presence
 * counts, and an acknowledgement envelope on every client event. With PostgreSQL, the Postgres
 * adapter joins the nodes of a cluster (its attachments table comes from a migration).
 */
import { createAdapter } from '@socket.io/postgres-adapter';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Server, type Socket } from 'socket.io';
import type { Ack, ClientEvents, ServerEvents } from '@opsi/contracts/realtime';
import { caseIdForSlug } from '../modules/cases/repository.ts';
import type { Config } from '../config.ts';
import type { SessionUser } from './session.ts';

export interface SocketData {
  user?: SessionUser;
}
export type RealtimeServer = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
type RealtimeSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
  }
}

const SLUG = /^[a-z0-9-]{2,40}$/;

/** Browsers send Origin; it must be ours (or the host the request came to). Other clients send none. */
export function originAllowed(origin: string | undefined, host: string | undefined, publicOrigin: string): boolean {
  if (!origin) return true;
  if (origin === publicOrigin) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
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

function fail(code: 'validation_failed' | 'not_found', message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

async function realtimePlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const io: RealtimeServer = new Server({
    path: '/socket.io/',
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) =>
      callback(null, originAllowed(req.headers.origin, req.headers.host, config.publicOrigin)),
  });
  if (fastify.database.pool) {
    io.adapter(
      createAdapter(fastify.database.pool, {
        errorHandler: (error) => fastify.log.warn({ err: error }, 'socket.io postgres adapter error'),
      }),
    );
  }

  // Let engine.io take its polling requests, but route its websocket upgrades through the dispatcher.
  const before = new Set(fastify.server.listeners('upgrade'));
  io.attach(fastify.server);
  for (const listener of fastify.server.listeners('upgrade')) {
    if (!before.has(listener)) fastify.server.removeListener('upgrade', listener as (...args: unknown[]) => void);
  }
  fastify.routeUpgrades('/socket.io/', (request, socket, head) => io.engine.handleUpgrade(request, socket, head));

  async function announcePresence(room: string) {
    const watching = (await io.in(room).fetchSockets()).length;
    io.to(room).emit('presence:changed', { room, watching });
    return watching;
  }

  function onWatch(socket: RealtimeSocket) {
    socket.on('case:watch', async (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const slug = (payload as { slug?: unknown } | null)?.slug;
      if (typeof slug !== 'string' || !SLUG.test(slug))
        return reply(fail('validation_failed', 'slug must be a case slug'));
      try {
        if (!(await caseIdForSlug(fastify.database.kysely, slug))) return reply(fail('not_found', `No case "${slug}"`));
        const room = `case:${slug}`;
        await socket.join(room);
        const watching = await announcePresence(room);
        reply({ ok: true, data: { room, watching } });
      } catch (error) {
        fastify.log.error({ err: error }, 'case:watch failed');
        reply({ ok: false, error: { code: 'internal_error', message: 'Could not watch this case' } });
      }
    });

    socket.on('case:unwatch', async (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const slug = (payload as { slug?: unknown } | null)?.slug;
      if (typeof slug !== 'string' || !SLUG.test(slug))
        return reply(fail('validation_failed', 'slug must be a case slug'));
      const room = `case:${slug}`;
      await socket.leave(room);
      reply({ ok: true, data: null });
      await announcePresence(room).catch(() => undefined);
    });

    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith('case:'));
      // After the socket has left its rooms, tell the others how many remain.
      setImmediate(() => {
        for (const room of rooms) void announcePresence(room).catch(() => undefined);
      });
    });
  }

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

  io.on('connection', onWatch);

  fastify.decorate('io', io);
  fastify.addHook('preClose', async () => {
    io.disconnectSockets(true);
    io.engine.close();
    const adapter = io.of('/').adapter;
    await adapterSettled(adapter);
    await adapter.close?.();
  });
}

export default fp(realtimePlugin, { name: 'realtime', dependencies: ['database', 'upgrades', 'session'] });
