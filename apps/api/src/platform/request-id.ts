import { randomUUID } from 'node:crypto';

/**
 * A client's X-Request-Id (from a proxy or a tracing client) is kept only when it is a plain token,
 * since the id is quoted in error messages and logs; anything else gets a fresh one.
 */
const REQUEST_ID = /^[\w.-]{8,64}$/;
export function requestId(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
