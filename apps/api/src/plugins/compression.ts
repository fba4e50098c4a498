/**
 * Compressed responses: HTML and JSON of at least COMPRESS_MIN_BYTES go out as br or gzip, as the
 * client's Accept-Encoding asks (br first), with `Vary: Accept-Encoding`. The API's replies go
 * through @fastify/compress; the web app's pages (served from the raw Node response by
 * plugins/web.ts) through `compressRaw` below, which follows the same rules. Never compressed: the
 * WebSocket stream and Socket.IO (upgrades, not replies), Server-Sent Events, bodies below the
 * threshold, responses that already carry a Content-Encoding (the web build's precompressed assets).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createGzip, type Gzip, type BrotliCompress } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

/** What is worth compressing: HTML, JSON (problem+json too), JavaScript, CSS, SVG, XML, plain text; not event streams. */
export const COMPRESSIBLE =
  /^(?:text\/(?:html|css|plain|javascript|xml|calendar|markdown)|application\/(?:[\w.+-]*\+)?(?:json|javascript|xml)|image\/svg\+xml)\b/i;

export type Encoding = 'br' | 'gzip';

/** br or gzip, as Accept-Encoding allows (q > 0), br preferred; null for neither. */
export function chooseEncoding(header: string | string[] | undefined): Encoding | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const allowed = (name: Encoding) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allowed('br')) return 'br';
  if (allowed('gzip')) return 'gzip';
  return null;
}

// Fast settings: a page is compressed on every request (quality 4 is near gzip's speed, smaller).
const BROTLI = { [constants.BROTLI_PARAM_QUALITY]: 4 };

function encoder(encoding: Encoding): Gzip | BrotliCompress {
  // Each write is flushed, so a page SvelteKit streams in parts still arrives in parts.
  return encoding === 'br'
    ? createBrotliCompress({ params: BROTLI, flush: constants.BROTLI_OPERATION_FLUSH })
    : createGzip({ level: 6, flush: constants.Z_SYNC_FLUSH });
}

type Chunk = string | Uint8Array;
const byteLength = (chunk: Chunk | undefined, encoding?: BufferEncoding) =>
  chunk === undefined ? 0 : typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;

/**
 * Compresses what a Node handler writes to `res` (the web app's pages), when the request accepts
 * it and the response is compressible: decided when the headers go out (content type, length,
 * status), or at `end` for a body written in one piece, so a small one goes out as it is.
 */
export function compressRaw(req: IncomingMessage, res: ServerResponse, minBytes: number): void {
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  if (!encoding || req.method === 'HEAD') return;
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (chunk: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...rest: unknown[]) => ServerResponse;
  let stream: Gzip | BrotliCompress | null = null;
  let decided = false;
  /** writeHead's status message, held back with the status until the first body bytes. */
  let head: { message: string | undefined } | null = null;

  /** Whether to compress, from the headers set so far and the whole body's length when known; then the head goes out. */
  function decide(bodyBytes: number | null) {
    if (decided) return;
    decided = true;
    const type = String(res.getHeader('content-type') ?? '');
    const length = res.getHeader('content-length');
    const status = res.statusCode;
    const known = length !== undefined ? Number(length) : bodyBytes;
    const compressible = COMPRESSIBLE.test(type);
    if (compressible) vary();
    if (
      compressible &&
      status >= 200 &&
      status !== 204 &&
      status !== 304 &&
      res.getHeader('content-encoding') === undefined &&
      (known === null || known >= minBytes)
    ) {
      res.removeHeader('content-length');
      res.setHeader('content-encoding', encoding!);
      const compressor = encoder(encoding!);
      compressor.on('data', (data: Buffer) => {
        if (!write(data)) {
          compressor.pause();
          res.once('drain', () => compressor.resume());
        }
      });
      compressor.on('end', () => end());
      compressor.on('error', (error) => res.destroy(error));
      stream = compressor;
    }
    if (head) {
      const { message } = head;
      head = null;
      if (message === undefined) writeHead(status);
      else writeHead(status, message);
    }
  }
  function vary() {
    const current = String(res.getHeader('vary') ?? '');
    if (!/accept-encoding|\*/i.test(current)) {
      res.setHeader('vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
    }
  }

  res.writeHead = function patchedWriteHead(status: number, ...rest: unknown[]) {
    // Headers passed here (sirv does) are set, and the head held back until the body says how long it is.
    const headers = rest.find((r) => r !== null && typeof r === 'object' && !Array.isArray(r)) as
      OutgoingHttpHeaders | undefined;
    if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    res.statusCode = status;
    if (decided) return writeHead(status);
    head = { message: rest.find((r) => typeof r === 'string') as string | undefined };
    return res;
  } as typeof res.writeHead;

  res.write = function patchedWrite(chunk: Chunk, ...rest: unknown[]) {
    decide(null);
    if (!stream) return write(chunk, ...rest);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    const enc = rest.find((r) => typeof r === 'string') as BufferEncoding | undefined;
    stream.write(typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk, callback);
    // The compressor buffers; the writer is never asked to wait for a `drain` that `res` may not send.
    return true;
  } as typeof res.write;

  res.end = function patchedEnd(...rest: unknown[]) {
    const chunk = rest.find((r, i) => i === 0 && (typeof r === 'string' || r instanceof Uint8Array)) as
      Chunk | undefined;
    const enc = rest.find((r, i) => i > 0 && typeof r === 'string') as BufferEncoding | undefined;
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    decide(byteLength(chunk, enc));
    if (!stream) return end(...rest);
    if (callback) res.once('finish', callback);
    if (chunk !== undefined) stream.end(typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk);
    else stream.end();
    return res;
  } as typeof res.end;
}

async function compressionPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  await fastify.register(compress, {
    global: true,
    threshold: config.compressMinBytes,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
    brotliOptions: { params: BROTLI },
    zlibOptions: { level: 6 },
  });
}

export default fp(compressionPlugin, { name: 'compression' });
