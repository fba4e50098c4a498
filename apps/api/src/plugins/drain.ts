/**
 * The graceful drain: the first thing `app.close()` does (server.ts calls it on SIGTERM), before
 * any other plugin lets go of anything. In order:
 *  1. the node says it is not ready (`/api/ready` answers 503), and stops accepting connections
 *     (its listening socket is closed: a balancer's next connection is refused, so it goes to
 *     another node without a request having been sent here);
 *  2. the drain steps the plugins registered run, all at once: Socket.IO clients and stream
 *     clients are told to reconnect (elsewhere), jobs stop being claimed and one still running at
 *     the steps' deadline is handed back (plugins/jobs.ts);
 *  3. requests already under way are answered, and so is a request that comes on a connection
 *     opened before, all with `Connection: close`; a connection left idle is first left for its
 *     client to close (DRAIN_IDLE_WAIT_MS: a proxy's keep-alive pool closes its idle connections
 *     sooner, see infra/nginx), then closed. Closing it here first could cross a request the proxy
 *     has just sent on it, and a proxy does not send a POST again: the client would get a 502;
 *  4. then the rest of close goes on (the database last), with nothing in flight.
 * Bounded by SHUTDOWN_GRACE_MS: the steps have half of it; at 70% of it every connection still
 * open is cut, leaving the rest for closing the database and the cluster adapter.
 */
import { Server as NetServer, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

/** A step of the drain; it must be over by `deadline` (a Date.now() value), whatever happens. */
export type DrainStep = (deadline: number) => Promise<void>;

export interface Drain {
  /** Whether this node has begun to drain (it answers what it has, and takes nothing new). */
  draining(): boolean;
  /** Adds a step, run when the drain begins (plugins register theirs when they are registered). */
  onDrain(step: DrainStep): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    drain: Drain;
  }
}

/** How often connections left idle after their last answer are closed while draining. */
const REAP_EVERY_MS = 25;

const sleepUntil = (deadline: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());

async function drainPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const steps: DrainStep[] = [];
  let draining = false;
  // Every TCP connection, upgraded ones too (Socket.IO, the stream), so the deadline can cut them.
  const connections = new Set<Socket>();
  fastify.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });

  fastify.addHook('onSend', async (request, reply) => {
    // The client must not send its next request on this connection: it is about to close.
    if (draining && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });

  fastify.addHook('preClose', async () => {
    draining = true;
    const started = Date.now();
    const server = fastify.server;
    const listening = server.listening;
    fastify.log.info({ graceMs: config.shutdownGraceMs, connections: connections.size }, 'draining');
    // net.Server's close: stops accepting, and `ended` once every connection has closed. (http.Server's
    // own close would also close the idle connections at once, crossing a proxy's next request.)
    const ended = listening
      ? new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()))
      : Promise.resolve();
    let reaper: NodeJS.Timeout | undefined;
    const reapFrom = listening
      ? setTimeout(() => {
          reaper = setInterval(() => server.closeIdleConnections(), REAP_EVERY_MS);
          server.closeIdleConnections();
        }, config.drainIdleWaitMs)
      : undefined;

    const stepsDeadline = started + config.shutdownGraceMs / 2;
    const stepsDone = Promise.all(
      steps.map((step) =>
        step(stepsDeadline).catch((error: unknown) => fastify.log.error({ err: error }, 'a drain step failed')),
      ),
    );
    const cutAt = started + config.shutdownGraceMs * 0.7;
    const cut = sleepUntil(cutAt).then(() => 'cut' as const);
    const outcome = await Promise.race([Promise.all([stepsDone, ended]).then(() => 'drained' as const), cut]);
    clearTimeout(reapFrom);
    clearInterval(reaper);
    if (outcome === 'cut') {
      fastify.log.warn({ open: connections.size }, 'drain deadline reached: cutting the connections still open');
      for (const socket of connections) socket.destroy();
      await ended;
    }
    fastify.log.info({ ms: Date.now() - started }, 'drained');
  });

  fastify.decorate('drain', {
    draining: () => draining,
    onDrain(step) {
      steps.push(step);
    },
  } satisfies Drain);
}

export default fp(drainPlugin, { name: 'drain' });
