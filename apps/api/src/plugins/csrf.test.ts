/** The CSRF check's Origin fallback compares whole origins: scheme, host and port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, signUp } from '../testing.ts';
import { csrfVerdict } from './csrf.ts';

const PUBLIC = 'https://network.example.org';

/** A POST with only an Origin header (no Fetch Metadata, as older browsers send). */
function post(origin: string | undefined, own = { protocol: 'https', host: 'network.example.org' }) {
  return {
    method: 'POST',
    headers: { host: own.host, ...(origin === undefined ? {} : { origin }) },
    protocol: own.protocol as 'http' | 'https',
    host: own.host,
  };
}

describe('csrfVerdict (Origin fallback)', () => {
  it('accepts the public origin and the origin the request itself came to', () => {
    expect(csrfVerdict(post(PUBLIC), PUBLIC)).toBe('ok');
    expect(csrfVerdict(post('https://network.example.org:443'), PUBLIC)).toBe('ok');
    // A node reached directly (behind the proxy), by a page served from that same node.
    const direct = { protocol: 'http', host: '10.0.0.5:3000' };
    expect(csrfVerdict(post('http://10.0.0.5:3000', direct), PUBLIC)).toBe('ok');
    // No Origin at all: not a browser, which cannot be made to carry someone's cookie.
    expect(csrfVerdict(post(undefined), PUBLIC)).toBe('ok');
  });

  it('refuses the same host under another scheme', () => {
    expect(csrfVerdict(post('http://network.example.org'), PUBLIC)).toBe('cross-site');
    const direct = { protocol: 'http', host: '10.0.0.5:3000' };
    expect(csrfVerdict(post('https://10.0.0.5:3000', direct), PUBLIC)).toBe('cross-site');
  });

  it('refuses the same host on another port', () => {
    expect(csrfVerdict(post('https://network.example.org:8443'), PUBLIC)).toBe('cross-site');
    const direct = { protocol: 'http', host: '10.0.0.5:3000' };
    expect(csrfVerdict(post('http://10.0.0.5:3001', direct), PUBLIC)).toBe('cross-site');
  });

  it('refuses other sites, opaque and malformed origins', () => {
    for (const origin of ['https://evil.example', 'null', 'not a url', 'https://network.example.org.evil.example']) {
      expect(csrfVerdict(post(origin), PUBLIC), origin).toBe('cross-site');
    }
  });
});

describe('the CSRF check on the API', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp({ PUBLIC_ORIGIN: 'http://localhost:3000' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a write whose Origin differs from the site only by scheme or port', async () => {
    const { cookie } = await signUp(app);
    const write = (origin: string) =>
      app.inject({
        method: 'PATCH',
        url: '/api/v1/me/profile',
        headers: { cookie, origin, host: 'localhost:3000' },
        payload: { headline: `from ${origin}` },
      });
    expect((await write('http://localhost:3000')).statusCode).toBe(200);
    for (const origin of ['https://localhost:3000', 'http://localhost:3001']) {
      const res = await write(origin);
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().error.code).toBe('csrf_rejected');
    }
  });
});
