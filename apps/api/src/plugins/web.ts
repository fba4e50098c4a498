/**
 * Serves the SvelteKit app (apps/web, adapter-node build) for every path the API does not own, on
 * the same origin and port. Unknown /api paths get the API's JSON 404 instead.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { errorBody } from '../platform/errors.ts';
import { compressRaw } from './compression.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const PROTOCOL_HEADER = 'x-opsi-protocol';
const ADDRESS_HEADER = 'x-opsi-client-address';

export const webBuildDir = fileURLToPath(new URL('../../../web/build', import.meta.url));

function internalOrigin(config: Config): string {
  const host =
    config.host === '0.0.0.0' || config.host === '' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`;
}

async function loadHandler(config: Config): Promise<NodeHandler> {
  const entry = `${webBuildDir}/handler.js`;
  if (!existsSync(entry)) {
    throw new Error(
      `The web app is not built (${entry} is missing): run \`npm run build\`, or use \`npm start\`, which builds it.`,
    );
  }
  // The web app's server calls this API over loopback (see apps/web/src/hooks.server.ts), and
  // adapter-node reads its settings from the environment when the handler is imported.
  process.env.INTERNAL_API_ORIGIN = internalOrigin(config);
  process.env.ORIGIN ??= config.publicOrigin;
  // adapter-node takes the protocol and the client address from these headers, which the route
  // below sets on every request from what Fastify worked out (trusted proxies only).
  process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
  process.env.ADDRESS_HEADER = ADDRESS_HEADER;
  const module = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
  return module.handler;
}

async function webPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  fastify.all('/api/*', { schema: { hide: true } }, async (request, reply) =>
    reply.status(404).send(errorBody('not_found', `No API route ${request.method} ${request.url.split('?')[0]}`)),
  );

  if (!config.serveWeb) return;
  const handler = await loadHandler(config);

  await fastify.register(async (web) => {
    // Leave request bodies (form actions) unread for SvelteKit.
    web.removeAllContentTypeParsers();
    web.addContentTypeParser('*', (_request, _payload, done) => done(null));
    web.route({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/*',
      schema: { hide: true },
      // SvelteKit sets its own CSP with the hashes of its inline scripts.
      config: { rateLimit: false, csp: false },
      handler: (request, reply) => {
        // Overwritten on every request, so a client cannot choose them.
        request.raw.headers[PROTOCOL_HEADER] = request.protocol;
        request.raw.headers[ADDRESS_HEADER] = request.ip;
        reply.hijack();
        // Hijacked replies skip @fastify/compress: the pages are compressed on the raw response.
        compressRaw(request.raw, reply.raw, config.compressMinBytes);
        handler(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404;
          reply.raw.end('Not found');
        });
      },
    });
  });
}

export default fp(webPlugin, { name: 'web', dependencies: ['security', 'compression'] });
