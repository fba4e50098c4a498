import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RouteHistogram } from './route-histogram.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const NAME = 'http_request_duration_seconds';
const HELP = 'HTTP request duration in seconds';

/** The same observations into prom-client's Histogram (what /metrics used) and a RouteHistogram. */
function both() {
  const before = new Registry();
  const old = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status'] as const,
    buckets: BUCKETS,
    registers: [before],
  });
  const after = new Registry();
  const now = new RouteHistogram({ name: NAME, help: HELP, buckets: BUCKETS });
  after.registerMetric(now as unknown as Histogram);
  return {
    before,
    after,
    now,
    observe(method: string, route: string, status: number, seconds: number) {
      old.observe({ method, route, status: String(status) }, seconds);
      now.observe(method, route, status, seconds);
    },
  };
}

describe('the request-duration histogram', () => {
  it('exposes what prom-client’s histogram exposed for the same responses, line for line', async () => {
    const { before, after, observe } = both();
    // Every bucket's edge, between two edges, beyond the last one, zero; several series, in an order
    // that is not the label values' order.
    const values = [0, 0.001, 0.005, 0.0051, 0.01, 0.3, 0.25, 1, 2.5, 4.99, 5, 5.01, 60];
    let n = 0;
    for (const value of values) {
      observe('GET', '/api/v1/cases/:slug/posts', 200, value);
      if (n % 2 === 0) observe('POST', '/api/v1/cases/:slug/posts', 201, value * 3);
      if (n % 3 === 0) observe('GET', 'unmatched', 404, value / 7);
      if (n % 5 === 0) observe('GET', '/api/v1/themes', 500, value + 0.1);
      n += 1;
    }
    const expected = await before.metrics();
    expect(expected).toContain('http_request_duration_seconds_bucket{le="+Inf",method="GET"');
    expect(await after.metrics()).toBe(expected);
    expect(await after.getMetricsAsJSON()).toEqual(await before.getMetricsAsJSON());
  });

  it('exposes nothing but its help and type before the first response, and again after a reset', async () => {
    const { before, after, now, observe } = both();
    expect(await after.metrics()).toBe(await before.metrics());
    observe('GET', '/api/v1/themes', 200, 0.002);
    now.reset();
    before.resetMetrics();
    expect(await after.metrics()).toBe(await before.metrics());
    expect(await after.metrics()).not.toContain('_count');
  });

  it('refuses a duration that is not a number, as prom-client did', () => {
    const { now } = both();
    expect(() => now.observe('GET', '/x', 200, Number.NaN)).toThrow(/not a valid number/);
    expect(() => now.observe('GET', '/x', 200, Number.POSITIVE_INFINITY)).toThrow(/not a valid number/);
  });
});
