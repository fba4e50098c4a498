/**
 * Whether an error means that PostgreSQL cannot be reached now (stopped, restarting, a connection
 * cut, a failover), as opposed to a query it refused: the API then answers 503
 * `service_unavailable` (plugins/errors.ts), which a client may retry, instead of a 500.
 */

/** Errors of the network under the connection (Node's codes). */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs: class 08 (connection exception), the server shutting down or starting, too many connections. */
const SERVER = /^(?:08...|57P0[123]|53300)$/;

/** What node-postgres says when a connection ends under it or cannot be had in time. */
const DRIVER =
  /^(?:Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth += 1) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (NETWORK.has(code) || SERVER.test(code))) return true;
    if (typeof message === 'string' && DRIVER.test(message)) return true;
    e = cause;
  }
  return false;
}
