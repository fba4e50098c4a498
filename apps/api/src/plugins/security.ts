/**
 * Security headers (helmet) with a strict Content-Security-Policy for everything the API serves.
 * Pages rendered by the web app carry SvelteKit's own CSP (with hashes for its inline scripts),
 * so the web handler route turns helmet's CSP off and keeps the other headers. Personal answers
 * are `Cache-Control: private, no-store`, so no cache along the way keeps someone's data.
 */
import helmet from '@fastify/helmet';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AddressWindows } from '../platform/address-window.ts';
import { AppError } from '../platform/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route sends its own Content-Security-Policy (the web app's pages). */
    csp?: boolean;
  }
  interface FastifyInstance {
    /**
     * The per-address limit for a request answered outside Fastify (the front): counts it and
     * gives the rate-limit headers' values, or null (not counted) when it would go over.
     */
    addressLimit: { take(address: string): { limit: number; remaining: number; resetSeconds: number } | null };
  }
}

const WINDOW_MS = 60_000;

const PERSONAL_PATH = /^\/api\/v1\/me(?:[/?]|$)/;

/** JSON and JSON problem answers (RFC 9457). */
const JSON_TYPE = /^application\/(?:problem\+)?json\b/;
/** Helmet's headers that act only on a document rendered in a browser, never on data. */
const DOCUMENT_ONLY = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];
/** A JSON answer loads nothing and is framed by nobody (as GitHub's API answers). */
const DATA_CSP = "default-src 'none';frame-ancestors 'none'";

async function securityPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const https = config.publicOrigin.startsWith('https:');
  // The API's CSP is one fixed string, set here once per response: @fastify/helmet would build
  // and parse the policy again on every request. Routes that send their own (the web app, whose
  // pages carry SvelteKit's policy with the hashes of its inline scripts) say `config.csp: false`.
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join(';');
  await fastify.register(helmet, {
    contentSecurityPolicy: false,
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.csp !== false) reply.header('content-security-policy', csp);
    done();
  });

  // A JSON answer is data, never a page: it gets the API set of OWASP's REST Security Cheat Sheet
  // (a CSP that allows nothing and no framing, nosniff, X-Frame-Options, HSTS over https) and
  // keeps Cross-Origin-Resource-Policy, which stops another site from loading it; the headers
  // that act only on a document (opener, agent cluster, referrer, DNS prefetch, IE8 downloads,
  // Flash policies, the old XSS filter) are taken off. Pages, the API docs, feeds and calendars
  // keep helmet's whole set; the web app's pages are written on the raw response (no onSend).
  const asData: onSendHookHandler = (_request, reply, _payload, done) => {
    if (JSON_TYPE.test(String(reply.getHeader('content-type') ?? ''))) {
      for (const name of DOCUMENT_ONLY) reply.raw.removeHeader(name);
      reply.header('content-security-policy', DATA_CSP);
    }
    done();
  };

  // Never stored by a cache: everything under /api/v1/me, every answer that sets a cookie (a
  // renewed session included), and whatever a signed-in caller reads unless its route says it is
  // public (reference data, feeds). A route-level hook, so it runs after every instance-level
  // onSend hook, the one that writes the cookies included.
  const privateWhenPersonal: onSendHookHandler = (request, reply, _payload, done) => {
    const cacheControl = String(reply.getHeader('cache-control') ?? '');
    if (
      PERSONAL_PATH.test(request.url) ||
      reply.hasHeader('set-cookie') ||
      ((request as { user?: unknown }).user && !/\bpublic\b/.test(cacheControl))
    ) {
      reply.header('cache-control', 'private, no-store');
    }
    done();
  };
  fastify.addHook('onRoute', (route) => {
    route.onSend = [...[route.onSend ?? []].flat(), privateWhenPersonal, asData];
  });

  // ABUSE_LIMITS=off (load tests only) lifts the per-address request limit; the sign-in, sign-up
  // and reset routes keep their own limits.
  const max = config.abuseLimits ? config.rateLimitPerMinute : Number.MAX_SAFE_INTEGER;
  const addresses = new AddressWindows();
  fastify.decorate('addressLimit', {
    take(address: string) {
      const counted = addresses.take(address, WINDOW_MS, max);
      return counted && { limit: max, remaining: max - counted.current, resetSeconds: Math.ceil(counted.ttl / 1000) };
    },
  });
  await fastify.register(rateLimit, {
    global: true,
    max,
    timeWindow: WINDOW_MS,
    // The plugin makes its store with `new`: a function that returns an object hands it that object.
    store: function store() {
      return addresses;
    } as unknown as NonNullable<RateLimitPluginOptions['store']>,
    // Requests rendered by the web app's own server come from loopback with the person's address
    // in X-Forwarded-For (trusted from loopback only), so limits apply per person, not per server.
    keyGenerator: (request) => request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests: try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
}

export default fp(securityPlugin, { name: 'security' });
