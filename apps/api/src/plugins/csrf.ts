/**
 * CSRF protection for every state-changing request, JSON API and form posts alike: browsers send
 * Fetch Metadata (`Sec-Fetch-Site`), and only same-origin (or user-initiated) requests pass; older
 * browsers are judged by `Origin`, which must be the whole origin (scheme, host and port) of the
 * site or of the request itself: the same host over plain http, or on another port, is another
 * site. Requests with neither header come from non-browser clients, which cannot be made to carry
 * a victim's cookie.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AppError } from '../platform/errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `scheme://host[:port]` normalised (default ports dropped, host lower-cased), or null. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function csrfVerdict(
  request: Pick<FastifyRequest, 'method' | 'headers' | 'protocol' | 'host'>,
  publicOrigin: string,
): 'ok' | 'cross-site' {
  if (SAFE.has(request.method)) return 'ok';
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none' ? 'ok' : 'cross-site';
  const header = request.headers.origin;
  if (header === undefined) return 'ok';
  const origin = originOf(header);
  if (origin === null) return 'cross-site';
  return origin === originOf(publicOrigin) || origin === originOf(`${request.protocol}://${request.host}`)
    ? 'ok'
    : 'cross-site';
}

async function csrfPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  // Callback style: no promise for every safe request.
  fastify.addHook('onRequest', (request, _reply, done) => {
    // Routes authenticated by a capability in the URL, never by a cookie (one-click unsubscribe
    // from a mail client, RFC 8058), opt out with `config: { csrf: false }`.
    if (SAFE.has(request.method) || (request.routeOptions.config as { csrf?: boolean } | undefined)?.csrf === false) {
      return done();
    }
    if (csrfVerdict(request, config.publicOrigin) !== 'ok') {
      return done(
        new AppError('csrf_rejected', 'Cross-site request refused: this action must come from the site itself'),
      );
    }
    done();
  });
}

export default fp(csrfPlugin, { name: 'csrf', dependencies: ['errors'] });
