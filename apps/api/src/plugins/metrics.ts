/**
 * Prometheus metrics at /metrics: process defaults plus HTTP request durations by route. Served
 * only to the bearer of METRICS_TOKEN (compared in constant time), under the per-address rate
 * limit like everything else; without a token, metrics are off and /metrics answers 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Registry, collectDefaultMetrics, type Histogram } from 'prom-client';
import { AppError } from '../platform/errors.ts';
import { RouteHistogram } from '../platform/route-histogram.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
    /** Records a request answered outside Fastify's hooks (the front), as the onResponse hook does. */
    observeRequest(method: string, route: string, status: number, seconds: number): void;
  }
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const given = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '')?.[1] ?? '';
  // Always compare, even for a malformed header, so its timing says nothing either.
  return timingSafeEqual(digest(given), expected) && given !== '';
}

async function metricsPlugin(fastify: FastifyInstance) {
  const { metricsToken } = fastify.config;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new RouteHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  // Read by the registry as any of its metrics are (its get() gives a histogram's values).
  registry.registerMetric(duration as unknown as Histogram);
  const errors = new Counter({
    name: 'http_server_errors_total',
    help: 'Responses with a 5xx status',
    labelNames: ['route'] as const,
    registers: [registry],
  });

  const observe = (method: string, route: string, status: number, seconds: number) => {
    if (route === '/metrics') return;
    duration.observe(method, route, status, seconds);
    if (status >= 500) errors.inc({ route });
  };
  fastify.decorate('observeRequest', observe);
  // Callback style: no promise for every response.
  fastify.addHook('onResponse', (request, reply, done) => {
    observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const expected = metricsToken === undefined ? undefined : digest(metricsToken);
  fastify.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!expected) throw new AppError('not_found', 'No metrics here');
    if (!bearerMatches(request.headers.authorization, expected)) {
      throw new AppError('unauthorized', 'Metrics need the bearer token (METRICS_TOKEN)', undefined, {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    reply.header('cache-control', 'no-store');
    reply.type(registry.contentType);
    return registry.metrics();
  });

  fastify.decorate('metrics', registry);
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['errors'] });
