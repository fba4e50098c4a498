/**
 * One dispatcher for HTTP upgrades. Socket.IO (engine.io) and @fastify/websocket both want the
 * server's `upgrade` event, and @fastify/websocket answers 404 to paths it has no route for, which
 * would kill Socket.IO's websocket transport. So the server has a single `upgrade` listener that
 * routes by path: registered prefixes (e.g. /socket.io/) go to their handler, everything else to
 * @fastify/websocket, which listens on `upgradeHub` instead of the server.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

declare module 'fastify' {
  interface FastifyInstance {
    upgradeHub: EventEmitter;
    routeUpgrades(prefix: string, handler: UpgradeHandler): void;
  }
}

async function upgradesPlugin(fastify: FastifyInstance) {
  const hub = new EventEmitter();
  const routes: { prefix: string; handler: UpgradeHandler }[] = [];

  fastify.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = request.url ?? '/';
    const route = routes.find((r) => path.startsWith(r.prefix));
    if (route) route.handler(request, socket, head);
    else hub.emit('upgrade', request, socket, head);
  });

  fastify.decorate('upgradeHub', hub);
  fastify.decorate('routeUpgrades', (prefix: string, handler: UpgradeHandler) => {
    routes.push({ prefix, handler });
  });
}

export default fp(upgradesPlugin, { name: 'upgrades' });
