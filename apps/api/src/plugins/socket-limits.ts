/**
 * A cap on concurrent sockets per client address (SOCKETS_PER_ADDRESS), Socket.IO and the plain
 * WebSocket stream together, so one address cannot hold thousands of connections open. Counted
 * on each node: behind a load balancer an address may hold the cap on every node. ABUSE_LIMITS=off
 * lifts it (load tests only).
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

export interface SocketLimits {
  /**
   * Takes one of `address`'s places; the function returned gives it back (calling it again does
   * nothing). null when the address already holds all its places.
   */
  acquire(address: string): (() => void) | null;
  /** The client address of a raw request, worked out as Fastify does (`request.ip`). */
  addressOf(request: IncomingMessage): string;
  /** Places held now, by address (for tests and metrics). */
  held(address: string): number;
}

export const TOO_MANY_SOCKETS = 'Too many connections from your address: close some and try again';

export function createSocketLimits(options: { max: number; enabled: boolean; trustProxy: string[] }): SocketLimits {
  const open = new Map<string, number>();
  const trust = proxyAddr.compile(options.trustProxy);
  return {
    acquire(address) {
      const count = open.get(address) ?? 0;
      if (options.enabled && count >= options.max) return null;
      open.set(address, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(address) ?? 1) - 1;
        if (left > 0) open.set(address, left);
        else open.delete(address);
      };
    },
    addressOf(request) {
      return proxyAddr(request, trust);
    },
    held(address) {
      return open.get(address) ?? 0;
    },
  };
}
