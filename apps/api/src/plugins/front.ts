/**
 * The front: an anonymous GET that the public cache has already answered is answered again from
 * memory before Fastify, the way Discourse's anonymous cache sits before Rails or a proxy's
 * micro-cache before an app. Fastify answers the first such request through every hook (security
 * headers, compression, the route); the last onSend hook keeps that answer with the cache entry it
 * was made from (platform/cache.ts `keepAnswer`), per request line and Accept-Encoding, and the
 * front replays it while that entry lives: a tag the change touches or the entry's expiry ends
 * both. What the front still does per request: the per-address limit (same counter as every
 * other request: near the limit it steps aside and Fastify answers 429), the rate-limit headers,
 * the request metrics and, at LOG_LEVEL=info, a "request completed" line.
 *
 * Only plain requests: GET, no cookie, no Authorization, no conditional or range header, and routes
 * under the global rate limit. Everything else (and `app.inject`, which has no server) goes to
 * Fastify as before.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions as ServerOptionsOfNode,
  type ServerResponse,
} from 'node:http';
import { performance } from 'node:perf_hooks';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { requestId } from '../platform/request-id.ts';
import { createScratch } from '../platform/scratch.ts';
import type { KeptAnswer } from '../platform/cache.ts';

type Listener = (request: IncomingMessage, response: ServerResponse) => void;
type Answerer = (request: IncomingMessage, response: ServerResponse) => boolean;

/** What Fastify passes its `serverFactory`: its options (those used here). */
interface ServerOptions {
  http?: ServerOptionsOfNode;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

export interface Front {
  /** Fastify's `serverFactory`: an HTTP server whose requests meet the front first. */
  serverFactory(handler: Listener, options: ServerOptions): Server;
  /** Counts of answers given by the front (tests). */
  answered(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    front: Front;
  }
}

/** Headers that are the request's own, never replayed. */
const PER_REQUEST = new Set([
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/** Whether a request is one the front may answer (and whose answer may be kept). */
function plain(request: IncomingMessage): boolean {
  const h = request.headers;
  return (
    request.method === 'GET' &&
    h.authorization === undefined &&
    h['if-none-match'] === undefined &&
    h['if-modified-since'] === undefined &&
    h.range === undefined
  );
}

/** Answers are kept per request line and Accept-Encoding, for anyone anonymous or for members. */
const variantOf = (request: IncomingMessage, member: boolean) => ({
  key: `${request.url ?? ''}\n${request.headers['accept-encoding'] ?? ''}${member ? '\nmember' : ''}`,
  member,
});

/** The front of one app: made before Fastify (for its serverFactory), opened by the plugin. */
export function createFront(): Front & { open(answerer: Answerer): void } {
  let answerer: Answerer | null = null;
  let answered = 0;
  return {
    serverFactory(handler, options) {
      const server = createServer(options.http ?? {}, (request, response) => {
        if (answerer?.(request, response)) answered += 1;
        else handler(request, response);
      });
      // As Fastify sets up a server it makes itself.
      if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
      if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
      if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
      if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
      return server;
    },
    answered: () => answered,
    open(given) {
      answerer = given;
    },
  };
}

function headOf(headers: Record<string, unknown>): string[] {
  const head: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || PER_REQUEST.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) head.push(name, String(one));
  }
  return head;
}

async function frontPlugin(fastify: FastifyInstance, { front }: { front: ReturnType<typeof createFront> }) {
  const { publicCache, addressLimit, log } = fastify;
  const logsRequests = ['info', 'debug', 'trace'].includes(fastify.config.logLevel);
  const trust = proxyAddr.compile(fastify.config.trustProxy);
  const scratch = createScratch();

  // Last of every GET route's onSend hooks (registered after security and compression): the
  // answer as it goes out, kept when it was sent from a public cache entry's bytes.
  const keep: onSendHookHandler = (request, reply, payload, done) => {
    if (
      reply.statusCode === 200 &&
      Buffer.isBuffer(payload) &&
      plain(request.raw) &&
      // Anonymous: no cookie at all; a member: their session from this request's cookie.
      (request.user ? request.headers.cookie !== undefined : request.headers.cookie === undefined) &&
      request.routeOptions.config.rateLimit === undefined &&
      !reply.hasHeader('set-cookie')
    ) {
      publicCache.keepAnswer(reply, payload, variantOf(request.raw, request.user !== null), () => ({
        head: headOf(reply.getHeaders()),
        body: payload,
        route: request.routeOptions.url ?? 'unmatched',
      }));
    }
    done();
  };
  fastify.addHook('onRoute', (route) => {
    if ([route.method].flat().includes('GET')) route.onSend = [...[route.onSend ?? []].flat(), keep];
  });

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    kept: KeptAnswer,
    body: Buffer | Buffer[],
    started: number,
  ): boolean {
    const length = Buffer.isBuffer(body) ? body.length : body.reduce((sum, chunk) => sum + chunk.length, 0);
    const addresses = proxyAddr.all(request, trust);
    const limit = addressLimit.take(addresses[addresses.length - 1] ?? '');
    if (!limit) return false;
    response.writeHead(200, [
      ...kept.head,
      'x-ratelimit-limit',
      String(limit.limit),
      'x-ratelimit-remaining',
      String(limit.remaining),
      'x-ratelimit-reset',
      String(limit.resetSeconds),
      'content-length',
      String(length),
    ]);
    if (Buffer.isBuffer(body)) response.end(body);
    else {
      // The pieces in one buffer, used again once written ('finish'; a response cut short leaves it to the GC).
      const gathered = scratch.gather(body, length);
      response.once('finish', gathered.release);
      response.end(gathered.bytes);
    }
    publicCache.answered();
    const seconds = (performance.now() - started) / 1000;
    fastify.observeRequest('GET', kept.route, 200, seconds);
    if (logsRequests) {
      log.info(
        {
          reqId: requestId(request.headers['x-request-id']),
          req: {
            method: 'GET',
            url: request.url,
            host: request.headers.host,
            remoteAddress: request.socket.remoteAddress,
          },
          res: { statusCode: 200 },
          responseTime: seconds * 1000,
          front: true,
        },
        'request completed',
      );
    }
    return true;
  }

  front.open((request, response) => {
    if (!plain(request)) return false;
    const started = performance.now();
    const { cookie } = request.headers;
    if (cookie === undefined) {
      const kept = publicCache.answer(variantOf(request, false).key);
      return kept?.body !== undefined && send(request, response, kept, kept.body, started);
    }
    const kept = publicCache.answer(variantOf(request, true).key);
    if (!kept?.compose) return false;
    const viewer = fastify.sessions.peek(cookie);
    const body = viewer && kept.compose(viewer);
    return body !== undefined && send(request, response, kept, body, started);
  });
  fastify.decorate('front', front);
}

export default fp(frontPlugin, {
  name: 'front',
  dependencies: ['security', 'compression', 'metrics', 'session', 'cache'],
});
