/**
 * Security headers (helmet) with a strict Content-Security-Policy for everything the API serves.
 * Pages rendered by the web app carry SvelteKit's own CSP (with hashes for its inline scripts),
 * so the web handler route turns helmet's CSP off and keeps the other headers.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';

async function securityPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const https = config.publicOrigin.startsWith('https:');
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });

  await fastify.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Requests rendered by the web app's own server come from loopback with the person's address
    // in X-Forwarded-For (trusted from loopback only), so limits apply per person, not per server.
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests: try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

export default fp(securityPlugin, { name: 'security' });
