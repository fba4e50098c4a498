/**
 * Compression: the API's JSON (through @fastify/compress) and the web app's pages (compressRaw on
 * the raw response) go out as br or gzip when the client asks for it, as they were otherwise;
 * never below COMPRESS_MIN_BYTES, never an event stream, never twice.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, createTestCase } from '../testing.ts';
import { chooseEncoding, compressRaw } from './compression.ts';

describe('chooseEncoding', () => {
  it('prefers br, then gzip, as Accept-Encoding allows', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
  });

  it('answers null when neither is accepted', () => {
    for (const header of [undefined, '', 'identity', 'deflate', 'gzip;q=0, br;q=0', '*;q=0']) {
      expect(chooseEncoding(header)).toBeNull();
    }
  });
});

function decode(body: Buffer, encoding: string | undefined): string {
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

describe('the API’s JSON', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
    for (let i = 0; i < 3; i += 1) await createTestCase(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('is compressed with br or gzip when asked, and decodes to the same body as uncompressed', async () => {
    const plain = await get('/api/v1/cases?limit=20');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.byteLength).toBeGreaterThan(1024);
    for (const [asked, expected] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await get('/api/v1/cases?limit=20', { 'accept-encoding': asked });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(expected);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(res.rawPayload.byteLength).toBeLessThan(plain.rawPayload.byteLength);
      expect(JSON.parse(decode(res.rawPayload, expected))).toEqual(plain.json());
    }
  });

  it('is not compressed when not asked, or for a tiny body', async () => {
    expect((await get('/api/v1/cases?limit=20', { 'accept-encoding': 'identity' })).headers['content-encoding']).toBe(
      undefined,
    );
    const tiny = await get('/api/health', { 'accept-encoding': 'br, gzip' });
    expect(tiny.rawPayload.byteLength).toBeLessThan(1024);
    expect(tiny.headers['content-encoding']).toBeUndefined();
  });
});

/** A raw Node server whose handler writes as the web app's handler does, behind compressRaw. */
async function rawServer(handler: (res: ServerResponse, url: string) => void) {
  const server: Server = createServer((req, res) => {
    compressRaw(req, res, 1024);
    handler(res, req.url ?? '/');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fetchRaw = (path: string, acceptEncoding?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', path, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  return { server, fetchRaw };
}

describe('compressRaw (the web app’s pages)', () => {
  const page = `<!doctype html><html><body>${'<p>A post about procurement rules.</p>'.repeat(200)}</body></html>`;
  let raw: Awaited<ReturnType<typeof rawServer>>;
  beforeAll(async () => {
    raw = await rawServer((res, url) => {
      if (url === '/page') {
        // As SvelteKit: headers set one by one, then writeHead(status), the body in parts.
        res.setHeader('content-type', 'text/html');
        res.writeHead(200);
        res.write(page.slice(0, 1000));
        res.end(page.slice(1000));
      } else if (url === '/small') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<p>small</p>');
      } else if (url === '/asset') {
        // As sirv for a precompressed file: the encoding is already chosen.
        res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'gzip', 'content-length': '4' });
        res.end(Buffer.from([1, 2, 3, 4]));
      } else if (url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: ${'x'.repeat(5000)}\n\n`);
      } else if (url === '/redirect') {
        res.writeHead(303, { location: '/page' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(4096) });
        res.end(Buffer.alloc(4096));
      }
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => raw.server.close(resolve));
  });

  it('compresses a page with br or gzip when asked, whole and correct', async () => {
    for (const [asked, expected] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await raw.fetchRaw('/page', asked);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(expected);
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.body.byteLength).toBeLessThan(page.length / 5);
      expect(decode(res.body, expected)).toBe(page);
    }
  });

  it('sends the page as it is when not asked', async () => {
    const res = await raw.fetchRaw('/page');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe(page);
    expect((await raw.fetchRaw('/page', 'identity')).headers['content-encoding']).toBeUndefined();
  });

  it('leaves tiny bodies, event streams, images, redirects and precompressed assets alone', async () => {
    const small = await raw.fetchRaw('/small', 'br');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe('<p>small</p>');
    const events = await raw.fetchRaw('/events', 'br');
    expect(events.headers['content-encoding']).toBeUndefined();
    expect(events.body.toString()).toMatch(/^data: x+\n\n$/);
    const image = await raw.fetchRaw('/image', 'br');
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.body.byteLength).toBe(4096);
    const redirect = await raw.fetchRaw('/redirect', 'br');
    expect(redirect.status).toBe(303);
    expect(redirect.headers['content-encoding']).toBeUndefined();
    const asset = await raw.fetchRaw('/asset', 'br');
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect([...asset.body]).toEqual([1, 2, 3, 4]);
  });
});
