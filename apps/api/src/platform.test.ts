import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { createTestApp, GOOD_PASSWORD, nextAddress, signUp, signUpAs, testConfig, uniqueSlug } from './testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('health, readiness and metrics', () => {
  it('answers /api/health and /api/ready', async () => {
    expect((await app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/api/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'postgres' });
  });

  it('serves no metrics without METRICS_TOKEN, whatever the request carries', async () => {
    for (const headers of [{}, { authorization: 'Bearer anything-at-all-1234' }]) {
      const res = await app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('process_cpu_user_seconds_total');
    }
  });

  it('with METRICS_TOKEN: Prometheus text for the bearer of that token only, request durations by route', async () => {
    const token = 'metrics-token-for-the-scraper-42';
    const withMetrics = await createTestApp({ METRICS_TOKEN: token });
    try {
      await withMetrics.inject('/api/v1/themes');
      for (const authorization of [undefined, 'Bearer wrong-token-of-some-length', `Basic ${token}`, token]) {
        const refused = await withMetrics.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
        expect(refused.statusCode, String(authorization)).toBe(401);
        expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(refused.json().error.code).toBe('unauthorized');
        expect(refused.body).not.toContain('process_cpu_user_seconds_total');
      }
      const res = await withMetrics.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('process_cpu_user_seconds_total');
      expect(res.body).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/themes",status="200"\} \d+/,
      );
      // The outbox reader's progress, idle now.
      expect(res.body).toMatch(/outbox_reader\{measure="handed_out"\} \d+/);
      expect(res.body).toContain(`outbox_reader{measure="last_id"} ${Number(withMetrics.activities.lastId())}`);
      expect(res.body).toContain('outbox_reader{measure="read_running_seconds"} 0');
      // Not part of the public API: not in the OpenAPI document.
      const doc = (await withMetrics.inject('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
      expect(Object.keys(doc.paths)).not.toContain('/metrics');
    } finally {
      await withMetrics.close();
    }
  });

  it('counts /metrics against the per-address rate limit', async () => {
    const limited = await createTestApp({
      METRICS_TOKEN: 'metrics-token-for-the-scraper-42',
      RATE_LIMIT_PER_MINUTE: '2',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await limited.inject({ url: '/metrics', remoteAddress: '203.0.113.50' })).statusCode);
    }
    await limited.close();
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('gives every response a request id, and echoes one it was given', async () => {
    const res = await app.inject({ url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id'] ?? 'abc-123').toBe('abc-123');
  });
});

describe('reference data', () => {
  it('lists all ISO 3166-1 countries with English and French names', async () => {
    const countries = (await app.inject('/api/v1/countries')).json<{ code: string; name: string; nameFr: string }[]>();
    expect(countries).toHaveLength(249);
    expect(countries).toContainEqual({ code: 'FR', name: 'France', nameFr: 'France' });
    expect(countries.find((c) => c.code === 'DE')?.nameFr).toBe('Allemagne');
    expect(new Set(countries.map((c) => c.code)).size).toBe(249);
  });

  it('lists the themes in both languages', async () => {
    const themes = (await app.inject('/api/v1/themes')).json<{ slug: string; name: string; nameFr: string }[]>();
    expect(themes.length).toBeGreaterThanOrEqual(12);
    expect(themes.length).toBeLessThanOrEqual(20);
    for (const t of themes) {
      expect(t.slug).toMatch(/^[a-z0-9-]{2,40}$/);
      expect(t.nameFr.length).toBeGreaterThan(0);
    }
  });
});

describe('errors', () => {
  it('answers unknown API paths with a JSON 404 in the error shape', async () => {
    const res = await app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('/api/v1/nothing-here') },
    });
  });

  it('maps malformed bodies to 400 invalid_json, unknown media types to 415, huge bodies to 413', async () => {
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/v1/anything',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toMatchObject({ code: 'invalid_json', details: [{ field: 'body' }] });
    const empty = await app.inject({
      method: 'POST',
      url: '/api/v1/anything',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('invalid_json');
    const media = await app.inject({
      method: 'POST',
      url: '/api/v1/anything',
      headers: { 'content-type': 'application/x-weird' },
      payload: 'x',
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().error.code).toBe('unsupported_media_type');
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/anything',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('takes bodies up to BODY_LIMIT_BYTES and answers 413 beyond', async () => {
    const small = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
    const send = (size: number) =>
      small.inject({
        method: 'POST',
        url: '/api/v1/anything',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ text: 'x'.repeat(size) }),
      });
    const within = await send(1000);
    const beyond = await send(3000);
    await small.close();
    expect(within.statusCode).toBe(404);
    expect(beyond.statusCode).toBe(413);
    expect(beyond.json().error.code).toBe('payload_too_large');
  });

  describe('an unexpected failure', () => {
    let probe: FastifyInstance;
    beforeAll(async () => {
      probe = await buildApp({ config: testConfig() });
      probe.get('/api/v1/explode', async () => {
        throw new Error('secret connection string postgres://user:pw@db');
      });
      await probe.ready();
    });
    afterAll(async () => {
      await probe.close();
    });

    it('never leaks internals in a 5xx', async () => {
      const res = await probe.inject('/api/v1/explode');
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('secret');
      expect(res.body).not.toContain('postgres://');
      expect(res.json().error).toEqual({ code: 'internal_error', message: expect.stringContaining('request id') });
    });

    it('quotes a plain client request id, and never echoes a crafted one into the body or a header', async () => {
      const plain = await probe.inject({ url: '/api/v1/explode', headers: { 'x-request-id': 'trace-0123456789' } });
      expect(plain.json().error.message).toContain('request id trace-0123456789.');
      for (const crafted of ['<script>alert(1)</script>', 'a'.repeat(10 * 1024), 'short', 'ids/with/slashes-123']) {
        const res = await probe.inject({ url: '/api/v1/explode', headers: { 'x-request-id': crafted } });
        expect(res.statusCode).toBe(500);
        expect(res.body).not.toContain(crafted);
        for (const [name, value] of Object.entries(res.headers)) expect(String(value), name).not.toContain(crafted);
        expect(res.json().error.message).toMatch(/request id [0-9a-f]{8}-[0-9a-f-]{27}\.$/);
      }
    });
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After in the error shape past the per-address limit', async () => {
    const limited = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i += 1) {
      last = await limited.inject({ url: '/api/v1/themes', remoteAddress: '203.0.113.7' });
      statuses.push(last.statusCode);
    }
    const other = await limited.inject({ url: '/api/v1/themes', remoteAddress: '203.0.113.8' });
    await limited.close();
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json().error.code).toBe('rate_limited');
    expect(other.statusCode).toBe(200);
  });

  it('ABUSE_LIMITS=off lifts the per-address limit (load tests) but keeps the sign-up limit', async () => {
    const lifted = await createTestApp({ RATE_LIMIT_PER_MINUTE: '3', ABUSE_LIMITS: 'off', SIGNUPS_PER_HOUR: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await lifted.inject({ url: '/api/v1/themes', remoteAddress: '203.0.113.9' })).statusCode);
    }
    const signup = (n: number) =>
      lifted.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: '203.0.113.9',
        payload: {
          email: `lift${n}@example.org`,
          password: 'a long enough passphrase',
          displayName: 'Lift',
          handle: `lift-${n}`,
        },
      });
    const first = await signup(1);
    const second = await signup(2);
    await lifted.close();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(429);
  });
});

describe('caching of personal answers', () => {
  const PRIVATE = 'private, no-store';

  it('marks every /api/v1/me answer, and every answer that sets a cookie, private, no-store', async () => {
    const { cookie, handle } = await signUp(app);
    for (const url of ['/api/v1/me', '/api/v1/me/sessions', '/api/v1/me/follows', '/api/v1/me/feed']) {
      for (const headers of [{ cookie }, {}]) {
        const res = await app.inject({ url, headers });
        expect(res.headers['cache-control'], `${url} ${res.statusCode}`).toBe(PRIVATE);
      }
    }
    const token = await app.inject({ method: 'POST', url: '/api/v1/me/calendar-token', headers: { cookie } });
    expect(token.headers['cache-control']).toBe(PRIVATE);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: nextAddress(),
      payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD },
    });
    expect(login.headers['set-cookie']).toBeDefined();
    expect(login.headers['cache-control']).toBe(PRIVATE);
    const calendar = await app.inject(new URL(token.json<{ url: string }>().url).pathname);
    expect(calendar.headers['cache-control']).toBe(PRIVATE);
  });

  it('marks what a signed-in caller reads private, no-store, unless it says it is public', async () => {
    const organiser = await signUpAs(app, 'organiser');
    const member = await signUp(app);
    const starts = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { cookie: organiser.cookie },
      payload: {
        slug: uniqueSlug('cache'),
        title: 'Caching clinic',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
        timezone: 'Europe/Paris',
        mode: 'online',
        onlineUrl: 'https://meet.example.org/secret',
      },
    });
    expect(created.statusCode).toBe(201);
    const slug = created.json<{ slug: string }>().slug;
    await app.inject({
      method: 'PUT',
      url: `/api/v1/events/${slug}/rsvp`,
      headers: { cookie: member.cookie },
      payload: { status: 'going' },
    });
    // Their RSVP, ticket code and the online link; the attendee lists and the CSV.
    for (const [url, who] of [
      [`/api/v1/events/${slug}`, member],
      [`/api/v1/events/${slug}/attendees`, organiser],
      [`/api/v1/events/${slug}/attendees.csv`, organiser],
      [`/api/v1/events/${slug}/calendar.ics`, member],
      ['/api/v1/cases/my-france-2022/posts', member],
    ] as const) {
      const res = await app.inject({ url, headers: { cookie: who.cookie } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(PRIVATE);
    }
    // Public answers keep saying so, to everyone.
    for (const headers of [{ cookie: member.cookie }, {}]) {
      expect((await app.inject({ url: '/api/v1/countries', headers })).headers['cache-control']).toBe(
        'public, max-age=3600',
      );
      expect((await app.inject({ url: '/api/v1/countries/FR/feed.atom', headers })).headers['cache-control']).toBe(
        'public, max-age=60',
      );
    }
    expect((await app.inject(`/api/v1/events/${slug}/calendar.ics`)).headers['cache-control']).toBe(
      'public, max-age=300',
    );
    for (const url of [`/api/v1/events/${slug}`, '/api/v1/cases', '/api/v1/cases/my-france-2022/posts']) {
      expect((await app.inject(url)).headers['cache-control'] ?? '', url).not.toContain('no-store');
    }
  });
});

describe('security headers', () => {
  /** Helmet's headers that act only on a document. */
  const DOCUMENT_ONLY = [
    'cross-origin-opener-policy',
    'origin-agent-cluster',
    'referrer-policy',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'x-xss-protection',
  ];

  it('sends JSON answers, errors included, the API set: a CSP that allows nothing, no framing, nosniff', async () => {
    for (const url of ['/api/health', '/api/v1/cases', '/api/v1/cases/no-such-case', '/api/v1/nowhere']) {
      const res = await app.inject(url);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['cross-origin-resource-policy'], url).toBe('same-origin');
      for (const name of DOCUMENT_ONLY) expect(res.headers[name], `${url} ${name}`).toBeUndefined();
    }
  });

  it('sends what a browser renders (the API docs, feeds) the strict document CSP and every hardening header', async () => {
    for (const url of ['/api/docs', '/api/v1/countries/FR/feed.atom']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      for (const name of DOCUMENT_ONLY) expect(res.headers[name], `${url} ${name}`).toBeDefined();
    }
  });

  it('asks browsers to upgrade requests only when the site is served over https, docs included', async () => {
    for (const url of ['/api/health', '/api/docs']) {
      const csp = String((await app.inject(url)).headers['content-security-policy']);
      expect(csp, url).not.toContain('upgrade-insecure-requests');
    }
    const secure = await createTestApp({ PUBLIC_ORIGIN: 'https://network.example.org' });
    const docs = await secure.inject('/api/docs');
    await secure.close();
    expect(String(docs.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    expect(docs.headers['strict-transport-security']).toContain('max-age=');
  });
});

describe('OpenAPI', () => {
  it('publishes an OpenAPI 3 document generated from the route schemas', async () => {
    const res = await app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/health',
      '/api/ready',
      '/api/v1/countries',
      '/api/v1/themes',
      '/api/v1/cases',
      '/api/v1/cases/{slug}',
      '/api/v1/cases/facets',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/v1/cases']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['q', 'country', 'theme', 'year', 'cursor', 'limit']),
    );
    const ui = await app.inject('/api/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });
});
