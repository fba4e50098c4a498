/**
 * The platform's API (no web app) on the PostgreSQL given in DATABASE_URL, plus bench-only
 * instrumentation added from outside the app's code (nothing here changes how it serves):
 *  - `members`: creates members (and one organiser) through the accounts service and starts a
 *    session for each as the session plugin does, returning their cookies;
 *  - `queries:start` / `queries:take`: counts the SQL statements each HTTP request sends (calls to
 *    pg's `Client.prototype.query` made inside the request's async context), only while recording;
 *  - `cache:stats`: the public cache's counters (hits, misses, shared loads, dropped entries);
 *  - `trace:start` / `trace:take`: when each post:created broadcast started and ended, and when
 *    each POST of a post arrived and was answered (monotonic clock, comparable across processes).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../../../apps/api/src/app.ts';
import { loadConfig } from '../../../apps/api/src/config.ts';
import { createAccountsService } from '../../../apps/api/src/modules/accounts/service.ts';
import { insertSession, setRole } from '../../../apps/api/src/modules/accounts/repository.ts';
import { ABSOLUTE_MS, IDLE_MS, newSessionToken, sessionIdOf } from '../../../apps/api/src/plugins/session.ts';
import { monotonicMs, serve } from '../ipc.ts';
import { traceEmits, traceGc } from './trace.ts';

// The per-address rate limit would otherwise be what is measured: one load generator is one address.
// ABUSE_LIMITS=off lifts the per-member limits too (a bench member posts hundreds of times a
// minute); never in production.
const config = loadConfig({
  ...process.env,
  // BENCH_SERVE_WEB=true: the built web app too (the case page's section, page.ts).
  SERVE_WEB: process.env.BENCH_SERVE_WEB === 'true' ? 'true' : 'false',
  LOG_LEVEL: 'warn',
  SEED_DEMO: 'true',
  RATE_LIMIT_PER_MINUTE: '100000000',
  ABUSE_LIMITS: 'off',
});
const app = await buildApp({ config });

// SQL statements per request: every statement the pool's clients send inside a request's context,
// with the time until its result came back.
export interface RecordedStatement {
  text: string;
  /** When it was sent, from the request reaching the server. */
  atMs: number;
  ms: number;
}
export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
  /** From the request reaching the server to its response being handed to the socket. */
  totalMs: number;
  queries: RecordedStatement[];
}
const scope = new AsyncLocalStorage<{ arrivedMs: number; queries: RecordedStatement[] }>();
let recording = false;
let recorded: RecordedRequest[] = [];
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  const startedMs = recording ? monotonicMs() : 0;
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  const request = scope.getStore();
  if (request) {
    const first = args[0] as string | { text?: string } | undefined;
    const statement = {
      text: typeof first === 'string' ? first : String(first?.text ?? '?'),
      atMs: startedMs - request.arrivedMs,
      ms: Number.NaN,
    };
    request.queries.push(statement);
    const done = () => {
      statement.ms = monotonicMs() - startedMs;
    };
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(done, done);
  }
  return result;
} as typeof originalQuery;

export interface PostArrival {
  url: string;
  arrivedMs: number;
  answeredMs: number;
  status: number;
}
let tracing = false;
let arrivals: PostArrival[] = [];

const server = app.server;
const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
if (handlers.length !== 1) throw new Error(`expected one request listener, found ${handlers.length}`);
const handle = handlers[0]!;
server.removeAllListeners('request');
server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (tracing && req.method === 'POST' && /^\/api\/v1\/cases\/[^/]+\/posts/.test(req.url ?? '')) {
    const arrivedMs = monotonicMs();
    res.once('finish', () =>
      arrivals.push({ url: req.url ?? '', arrivedMs, answeredMs: monotonicMs(), status: res.statusCode }),
    );
  }
  if (!recording) return handle.call(server, req, res);
  const queries: RecordedStatement[] = [];
  const arrivedMs = monotonicMs();
  res.once('finish', () =>
    recorded.push({
      method: req.method ?? '',
      url: req.url ?? '',
      status: res.statusCode,
      totalMs: monotonicMs() - arrivedMs,
      queries,
    }),
  );
  scope.run({ arrivedMs, queries }, () => handle.call(server, req, res));
});

await app.listen({ port: config.port, host: '127.0.0.1' });
const emits = traceEmits(app.io, 'post:created', () => tracing);
const gcs = traceGc(() => tracing);

const PASSWORD = 'bench members only, never used to sign in 42';

/** A session for an existing member, started as the session plugin does; returns the cookie. */
async function sessionFor(userId: string): Promise<string> {
  const token = newSessionToken();
  const now = Date.now();
  await insertSession(app.database.kysely, {
    id: sessionIdOf(token),
    userId,
    expiresAt: new Date(now + IDLE_MS),
    absoluteExpiresAt: new Date(now + ABSOLUTE_MS),
    userAgent: 'opsi-bench',
    ip: '127.0.0.1',
  });
  return `${app.sessions.cookieName}=${token}`;
}

serve({
  async members(message) {
    const count = Number(message.count);
    const prefix = String(message.prefix);
    const accounts = createAccountsService(app.database);
    const db = app.database.kysely;
    const made: { handle: string; displayName: string; role: string; cookie: string }[] = [];
    for (let i = 0; i < count; i += 1) {
      const handle = `${prefix}-${i}`;
      const role = i === 0 ? 'organiser' : 'member';
      const user = await accounts.signup({
        email: `${handle}@example.org`,
        handle,
        displayName: `Bench Member ${i}`,
        password: PASSWORD,
      });
      if (role !== 'member') await setRole(db, handle, role);
      made.push({ handle, displayName: user.displayName, role, cookie: await sessionFor(user.id) });
    }
    return made;
  },
  /** Many members at once, inserted directly (no password: they never sign in), each with a session. */
  async 'bulk-members'(message) {
    const count = Number(message.count);
    const prefix = String(message.prefix);
    const { rows } = await sql<{ id: string; handle: string; display_name: string }>`
      insert into users (email, handle, display_name)
      select ${prefix} || '-' || g || '@example.org', ${prefix} || '-' || g, 'Bench Member ' || g
      from generate_series(1, ${count}::int) g
      returning id, handle, display_name
    `.execute(app.database.kysely);
    const made: { handle: string; displayName: string; role: string; cookie: string }[] = [];
    for (const r of rows) {
      made.push({ handle: r.handle, displayName: r.display_name, role: 'member', cookie: await sessionFor(r.id) });
    }
    return made;
  },
  /** A session for a member the bench wrote straight into the database. */
  async session(message) {
    const row = await app.database.kysely
      .selectFrom('users')
      .select(['id', 'handle', 'display_name', 'role'])
      .where('handle', '=', String(message.handle))
      .executeTakeFirstOrThrow();
    return { handle: row.handle, displayName: row.display_name, role: row.role, cookie: await sessionFor(row.id) };
  },
  /** The public cache's counters (hits, loads, shared loads, dropped entries). */
  'cache:stats'() {
    return app.publicCache.stats();
  },
  /** Memory after a full garbage collection (when started with --expose-gc), and the sockets open. */
  memory() {
    globalThis.gc?.();
    return {
      ...process.memoryUsage(),
      collected: typeof globalThis.gc === 'function',
      sockets: app.io.engine.clientsCount,
    };
  },
  'queries:start'() {
    recorded = [];
    recording = true;
    return null;
  },
  'queries:take'() {
    recording = false;
    const taken = recorded;
    recorded = [];
    return taken;
  },
  'trace:start'() {
    arrivals = [];
    emits.length = 0;
    gcs.length = 0;
    tracing = true;
    return null;
  },
  'trace:take'() {
    tracing = false;
    return { arrivals, emits: emits.splice(0), gcs: gcs.splice(0) };
  },
});

process.send?.('ready');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
