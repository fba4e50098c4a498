/**
 * The fan-out load: one child process holding every Socket.IO client (websocket transport), so the
 * app and the bare baseline are measured with the same client setup. Driven by the bench over IPC:
 *  - `connect`: opens a group of clients to a server, each watching a case with an acknowledgement;
 *  - `trigger`: sends one HTTP request that makes the server emit `post:created` (a post on the app,
 *    `POST /emit` on the baseline) and waits until every client of the group received it (matched
 *    by the post's body), returning each client's latency from just before the request was sent;
 *  - `tally` / `close`: counts and teardown.
 */
import { io, type Socket } from 'socket.io-client';
import { monotonicMs, serve } from './ipc.ts';
import { clientGroups, openAll } from './pool.ts';

interface Delivery {
  sentMs: number;
  times: Float64Array;
  count: number;
  done: () => void;
}

interface Group {
  sockets: Socket[];
  pending: Map<string, Delivery>;
  duplicates: number;
  stray: number;
  dropped: number;
  closing: boolean;
  sample: unknown;
}

const groups = clientGroups<Group>();
const group = (name: unknown) => groups.get(name);

async function connectOne(g: Group, index: number, origin: string, slug: string): Promise<Socket> {
  const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
  socket.on('post:created', (post: { body?: string }) => {
    const at = monotonicMs();
    const delivery = g.pending.get(post.body ?? '');
    if (!delivery) {
      g.stray += 1;
      return;
    }
    if (!Number.isNaN(delivery.times[index])) {
      g.duplicates += 1;
      return;
    }
    delivery.times[index] = at;
    if (g.sample === undefined) g.sample = post;
    delivery.count += 1;
    if (delivery.count === delivery.times.length) delivery.done();
  });
  socket.on('disconnect', () => {
    if (!g.closing) g.dropped += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const ack = (await socket.timeout(30_000).emitWithAck('case:watch', { slug })) as { ok: boolean };
  if (!ack.ok) throw new Error(`case:watch refused: ${JSON.stringify(ack)}`);
  return socket;
}

serve({
  async connect(message) {
    const name = String(message.group);
    const origin = String(message.origin);
    const slug = String(message.slug);
    const clients = Number(message.clients);
    const concurrency = Number(message.concurrency ?? 50);
    const g: Group = {
      sockets: new Array<Socket>(clients),
      pending: new Map(),
      duplicates: 0,
      stray: 0,
      dropped: 0,
      closing: false,
      sample: undefined,
    };
    groups.add(name, g);
    const { opened, seconds } = await openAll(clients, concurrency, (index) => connectOne(g, index, origin, slug));
    g.sockets = opened;
    return { connected: clients, seconds };
  },

  async trigger(message) {
    const g = group(message.group);
    const body = String(message.body);
    const timeoutMs = Number(message.timeoutMs ?? 15_000);
    let done = () => undefined as void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const delivery: Delivery = {
      sentMs: 0,
      times: new Float64Array(g.sockets.length).fill(Number.NaN),
      count: 0,
      done: () => done(),
    };
    g.pending.set(body, delivery);
    delivery.sentMs = monotonicMs();
    const response = await fetch(String(message.url), {
      method: 'POST',
      headers: message.headers as Record<string, string>,
      body: String(message.payload),
    });
    const answeredMs = monotonicMs();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`trigger answered ${response.status}`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    const latencies = Array.from(delivery.times, (t) => t - delivery.sentMs);
    return {
      status: response.status,
      sentMs: delivery.sentMs,
      answeredMs,
      delivered: delivery.count,
      expected: delivery.times.length,
      latencies: latencies.filter((l) => !Number.isNaN(l)),
    };
  },

  /** Counts after the run, including deliveries that arrived after a trigger's wait ended. */
  tally(message) {
    const g = group(message.group);
    const delivered: Record<string, number> = {};
    for (const [body, d] of g.pending) delivered[body] = d.count;
    return {
      delivered,
      duplicates: g.duplicates,
      stray: g.stray,
      dropped: g.dropped,
      sample: g.sample,
    };
  },

  async close(message) {
    groups.close(message.group);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return null;
  },
});

process.send?.('ready');
groups.exitOnSigterm();
