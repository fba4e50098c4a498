/**
 * The fan-out baseline: a plain Socket.IO server on its own port (no app, no database, the default
 * in-memory adapter). Clients watch a room exactly as they do on the app (`case:watch` with an
 * acknowledgement); `POST /emit` with a post as its JSON body makes the server
 * `io.to('case:<caseSlug>').emit('post:created', post)` and answers 204.
 *
 * With DURABLE_DATABASE_URL (BENCH_FANOUT_TWIN=durable), it first commits the post to PostgreSQL: one
 * INSERT in its own transaction (one round trip, a prepared statement), the least a server that
 * never announces what it has not kept can do before the emit.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';
import { monotonicMs, serve } from '../ipc.ts';
import { traceEmits, traceGc } from './trace.ts';

let tracing = false;
const arrivals: { url: string; arrivedMs: number; answeredMs: number; status: number }[] = [];

const durableUrl = process.env.DURABLE_DATABASE_URL;
const pool = durableUrl ? new pg.Pool({ connectionString: durableUrl, max: 4, min: 4 }) : null;
await pool?.query(`create table if not exists bench_durable_posts (
  id bigserial primary key, case_slug text not null, post jsonb not null, created_at timestamptz not null default now())`);

/** The post committed (the durable twin), before it is sent. */
async function keep(db: pg.Pool, post: { caseSlug: string }): Promise<void> {
  await db.query({
    name: 'keep-post',
    text: 'insert into bench_durable_posts (case_slug, post) values ($1, $2) returning id',
    values: [post.caseSlug, JSON.stringify(post)],
  });
}

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  const arrivedMs = monotonicMs();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const post = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { caseSlug: string };
    const send = () => {
      io.to(`case:${post.caseSlug}`).emit('post:created', post);
      res.writeHead(204).end();
      if (tracing) arrivals.push({ url: req.url ?? '', arrivedMs, answeredMs: monotonicMs(), status: 204 });
    };
    if (!pool) send();
    else keep(pool, post).then(send, () => res.writeHead(500).end());
  });
});

const io = new Server(http, { path: '/socket.io/', serveClient: false, maxHttpBufferSize: 64 * 1024 });
io.on('connection', (socket) => {
  socket.on('case:watch', async (payload: unknown, ack: unknown) => {
    const slug = String((payload as { slug?: unknown } | null)?.slug ?? '');
    const room = `case:${slug}`;
    await socket.join(room);
    if (typeof ack === 'function')
      ack({ ok: true, data: { room, watching: io.of('/').adapter.rooms.get(room)?.size } });
  });
});
const emits = traceEmits(io, 'post:created', () => tracing);
const gcs = traceGc(() => tracing);

serve({
  /** Memory after a full garbage collection (when started with --expose-gc), and the sockets open. */
  memory() {
    globalThis.gc?.();
    return {
      ...process.memoryUsage(),
      collected: typeof globalThis.gc === 'function',
      sockets: io.engine.clientsCount,
    };
  },
  'trace:start'() {
    arrivals.length = 0;
    emits.length = 0;
    gcs.length = 0;
    tracing = true;
    return null;
  },
  'trace:take'() {
    tracing = false;
    return { arrivals: arrivals.splice(0), emits: emits.splice(0), gcs: gcs.splice(0) };
  },
});

http.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  io.disconnectSockets(true);
  void io
    .close()
    .then(() => pool?.end())
    .then(() => process.exit(0));
});
