/**
 * Fan-out of a new post to the watchers of a case: the app (POST a post → outbox → live threads →
 * `post:created` to the room) against a bare Socket.IO server emitting the same payload to a room
 * of the same size, measured in turns in one run, each side's clients in a process of their own
 * (fanout-clients.ts: 10,000 sockets a side stay within one process's open files).
 * Latency is from just before the triggering request is sent to each client's receipt.
 */
import type { ChildProcess } from 'node:child_process';
import { ask } from './ipc.ts';
import type { RecordedRequest } from './servers/app.ts';
import type { EmitTrace, GcTrace } from './servers/trace.ts';

/** The goal: a post's p99 to every watcher within this many times a bare broadcast's, in each run. */
export const FANOUT_TARGET_P99_RATIO = 1.2;

export interface FanoutSettings {
  clients: number;
  posts: number;
  warmupPosts: number;
  /** Quiet time between two triggers, after every delivery of the first has arrived. */
  gapMs: number;
  /** How long one trigger waits for its deliveries before the next (late ones are still counted). */
  timeoutMs: number;
}

interface Arrival {
  url: string;
  arrivedMs: number;
  answeredMs: number;
  status: number;
}

interface TriggerResult {
  status: number;
  sentMs: number;
  answeredMs: number;
  delivered: number;
  expected: number;
  latencies: number[];
}

export interface Distribution {
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface FanoutSide {
  name: string;
  trigger: string;
  connectSeconds: number;
  /** The server's heap after its clients joined, collected in full before the warm-up (MB; null: it cannot collect). */
  heapAfterJoinMb: number | null;
  expected: number;
  delivered: number;
  lost: number;
  /** Deliveries that came after their trigger's wait ended (counted as delivered, not in the latencies). */
  late: number;
  duplicates: number;
  stray: number;
  droppedConnections: number;
  latencyMs: Distribution;
  /** Medians over the measured posts of where each post's time went (ms). */
  phasesMs: {
    requestToServer: number;
    serverToEmitStart: number;
    emitCall: number;
    emitStartToFirstReceipt: number;
    emitEndToLastReceipt: number;
    triggerAnswered: number;
  };
  perPost: {
    post: number;
    delivered: number;
    p50: number;
    p99: number;
    max: number;
    serverToEmitStart: number;
    emitCall: number;
    emitEndToLastReceipt: number;
    /** The server's garbage-collection pauses from the request's arrival to the last receipt (ms, summed). */
    gcMs: number;
    /** Their kinds (minor: a scavenge of the young generation; major: a mark-compact). */
    gcKinds: string;
  }[];
}

/** The app's POSTs as the server saw them: SQL statements inside each request's context. */
export interface PostSql {
  statementsMin: number;
  statementsMax: number;
  /** Medians: the POST's time in the server (arrival to response), and the part spent waiting on SQL. */
  serverMs: number;
  sqlMs: number;
  /**
   * The statements of the first measured POST, each with the medians over the POSTs that sent the
   * same statement in the same place: when it was sent (from the request reaching the server) and
   * how long its result took.
   */
  statements: { text: string; atMs: number; ms: number }[];
}

export interface FanoutResult {
  settings: FanoutSettings;
  app: FanoutSide;
  bare: FanoutSide;
  /** A second bare server taking its turn beside them (BENCH_FANOUT_TWIN): the ratio's noise floor. */
  twin?: FanoutSide;
  appPostSql: PostSql;
  ratioP99: number;
  ratioP50: number;
  /** The twin's p99 ÷ the bare server's, in the same run. */
  twinRatioP99?: number;
  /** The twin commits each post to PostgreSQL before it emits (BENCH_FANOUT_TWIN=durable). */
  twinDurable?: boolean;
  payloadBytes: number;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return {
    min: round(list[0] ?? Number.NaN),
    p50: round(percentile(list, 50)),
    p90: round(percentile(list, 90)),
    p95: round(percentile(list, 95)),
    p99: round(percentile(list, 99)),
    max: round(list[list.length - 1] ?? Number.NaN),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(percentile(sorted, 50), 2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Group = 'app' | 'bare' | 'twin';

interface Side {
  group: Group;
  name: string;
  trigger: string;
  server: ChildProcess;
  origin: string;
  url: string;
  headers: Record<string, string>;
  payload: (body: string) => string;
  results: { post: number; body: string; result: TriggerResult }[];
  connectSeconds: number;
  heapAfterJoinMb: number | null;
}

/** A body of the length of a short real post, unique per post and side (the clients match on it). */
function bodyFor(side: string, runId: string, k: number): string {
  return (
    `Fan-out ${side} ${runId} #${k}: we used an open consultation platform for a regional ` +
    'mobility plan and published a short "what we heard / what we did" note for each proposal. ' +
    'Has anyone measured how many participants came back for the second round?'
  );
}

export async function runFanout(options: {
  /** The client processes (fanout-clients.ts) of each side. */
  clients: { app: ChildProcess; bare: ChildProcess; twin?: ChildProcess };
  app: { server: ChildProcess; origin: string; slug: string; headers: Record<string, string> };
  bare: { server: ChildProcess; origin: string };
  /**
   * Another bare server (its own clients in `clients.twin`), measured as the bare one is; `durable`:
   * one that commits each post to PostgreSQL before it emits (servers/bare-socketio.ts).
   */
  twin?: { server: ChildProcess; origin: string; durable?: boolean };
  settings: FanoutSettings;
  log: (line: string) => void;
}): Promise<FanoutResult> {
  const { settings, log } = options;
  const runId = Date.now().toString(36);
  const slug = options.app.slug;
  let sample: Record<string, unknown> | null = null;

  const app: Side = {
    group: 'app',
    name: 'app: POST /api/v1/cases/:slug/posts → outbox → post:created',
    trigger: 'POST a post (signed in) to the app',
    server: options.app.server,
    origin: options.app.origin,
    url: `${options.app.origin}/api/v1/cases/${slug}/posts`,
    headers: options.app.headers,
    payload: (body) => JSON.stringify({ body }),
    results: [],
    connectSeconds: 0,
    heapAfterJoinMb: null,
  };
  const bareOf = (group: Group, server: { server: ChildProcess; origin: string; durable?: boolean }): Side => ({
    group,
    name: server.durable
      ? 'durable twin: one INSERT committed to PostgreSQL, then io.to(room).emit'
      : `${group === 'twin' ? 'twin of the bare server' : 'bare Socket.IO'}: io.to(room).emit`,
    trigger: `POST /emit (the post as JSON) to a plain node:http + socket.io server${server.durable ? ' that commits it first' : ''}`,
    server: server.server,
    origin: server.origin,
    url: `${server.origin}/emit`,
    headers: { 'content-type': 'application/json' },
    // The app's own post:created payload, with this trigger's body (so the same size on the wire).
    payload: (body) => JSON.stringify({ ...sample, body }),
    results: [],
    connectSeconds: 0,
    heapAfterJoinMb: null,
  });
  const bare = bareOf('bare', options.bare);
  const all = [app, bare, ...(options.twin ? [bareOf('twin', options.twin)] : [])];
  const clientsOf = (side: Side) => options.clients[side.group]!;

  for (const side of all) {
    const groupName = side.group;
    const connected = await ask<{ connected: number; seconds: number }>(
      clientsOf(side),
      'connect',
      { group: groupName, origin: side.origin, slug, clients: settings.clients, concurrency: 50 },
      300_000,
    );
    side.connectSeconds = connected.seconds;
    log(`fan-out: ${connected.connected} clients watching on ${groupName} (${connected.seconds} s to connect)`);
  }
  // Presence announcements after the joins settle within a quarter of a second; wait them out.
  await sleep(2000);
  // Every server collects its garbage in full once (started with --expose-gc): what a thousand new
  // connections leave to collect is not left to fall on some measured post of one side. What the
  // posts themselves leave is collected while they are measured, and counted.
  for (const side of all) {
    const memory = await ask<{ heapUsed: number; collected: boolean }>(side.server, 'memory');
    side.heapAfterJoinMb = memory.collected ? round(memory.heapUsed / 1_048_576) : null;
  }
  await Promise.all([...all.map((side) => ask(side.server, 'trace:start')), ask(app.server, 'queries:start')]);

  const total = settings.warmupPosts + settings.posts;
  for (let k = 0; k < total; k += 1) {
    // Each side goes first in turn, so none always follows another's quiet time.
    const order = [...all.slice(k % all.length), ...all.slice(0, k % all.length)];
    for (const side of order) {
      const groupName = side.group;
      const body = bodyFor(groupName, runId, k);
      const result = await ask<TriggerResult>(
        clientsOf(side),
        'trigger',
        {
          group: groupName,
          url: side.url,
          headers: side.headers,
          payload: side.payload(body),
          body,
          timeoutMs: settings.timeoutMs,
        },
        settings.timeoutMs + 60_000,
      );
      if (k >= settings.warmupPosts) side.results.push({ post: k - settings.warmupPosts, body, result });
      if (side === app && !sample) {
        const tally = await ask<{ sample: Record<string, unknown> }>(options.clients.app, 'tally', { group: 'app' });
        sample = tally.sample;
      }
      await sleep(settings.gapMs);
    }
  }

  const recorded = (await ask<RecordedRequest[]>(app.server, 'queries:take'))
    .filter((r) => r.method === 'POST')
    .slice(settings.warmupPosts);
  const sizes = recorded.map((r) => r.queries.length);
  const appPostSql: PostSql = {
    statementsMin: Math.min(...sizes),
    statementsMax: Math.max(...sizes),
    serverMs: median(recorded.map((r) => r.totalMs)),
    sqlMs: median(recorded.map((r) => r.queries.reduce((sum, q) => sum + q.ms, 0))),
    statements: (recorded[0]?.queries ?? []).map((q, i) => {
      const same = recorded.map((r) => r.queries[i]).filter((other) => other?.text === q.text);
      return {
        text: q.text.replace(/\s+/g, ' ').trim(),
        atMs: median(same.map((other) => other!.atMs)),
        ms: median(same.map((other) => other!.ms)),
      };
    }),
  };

  const sides: FanoutSide[] = [];
  for (const side of all) {
    const groupName = side.group;
    const trace = await ask<{ arrivals: Arrival[]; emits: EmitTrace[]; gcs: GcTrace[] }>(side.server, 'trace:take');
    await sleep(500);
    const tally = await ask<{ delivered: Record<string, number>; duplicates: number; stray: number; dropped: number }>(
      clientsOf(side),
      'tally',
      { group: groupName },
    );
    await ask(clientsOf(side), 'close', { group: groupName });
    const emitsByBody = new Map(trace.emits.map((e) => [e.body, e]));
    // Arrivals are in trigger order, warm-up ones included (one trigger per post, run one at a time).
    const arrivals = trace.arrivals.slice(settings.warmupPosts);
    const all: number[] = [];
    const phases = {
      requestToServer: [] as number[],
      serverToEmitStart: [] as number[],
      emitCall: [] as number[],
      emitStartToFirstReceipt: [] as number[],
      emitEndToLastReceipt: [] as number[],
      triggerAnswered: [] as number[],
    };
    const perPost: FanoutSide['perPost'] = [];
    let delivered = 0;
    let inTime = 0;
    for (const [index, { post, body, result }] of side.results.entries()) {
      all.push(...result.latencies);
      inTime += result.delivered;
      delivered += tally.delivered[body] ?? 0;
      const emit = emitsByBody.get(body);
      const arrival = arrivals[index];
      const sorted = [...result.latencies].sort((a, b) => a - b);
      const first = result.sentMs + (sorted[0] ?? Number.NaN);
      const last = result.sentMs + (sorted[sorted.length - 1] ?? Number.NaN);
      if (arrival) phases.requestToServer.push(arrival.arrivedMs - result.sentMs);
      if (arrival && emit) phases.serverToEmitStart.push(emit.startMs - arrival.arrivedMs);
      if (emit) {
        phases.emitCall.push(emit.endMs - emit.startMs);
        phases.emitStartToFirstReceipt.push(first - emit.startMs);
        phases.emitEndToLastReceipt.push(last - emit.endMs);
      }
      phases.triggerAnswered.push(result.answeredMs - result.sentMs);
      const pauses = arrival
        ? trace.gcs.filter((gc) => gc.startMs + gc.ms > arrival.arrivedMs && gc.startMs < last)
        : [];
      perPost.push({
        post,
        delivered: result.delivered,
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? Number.NaN),
        serverToEmitStart: arrival && emit ? round(emit.startMs - arrival.arrivedMs, 2) : Number.NaN,
        emitCall: emit ? round(emit.endMs - emit.startMs, 2) : Number.NaN,
        emitEndToLastReceipt: emit ? round(last - emit.endMs, 2) : Number.NaN,
        gcMs: arrival
          ? round(
              pauses.reduce((total, gc) => total + gc.ms, 0),
              2,
            )
          : Number.NaN,
        gcKinds: [...new Set(pauses.map((gc) => gc.kind))].join(', '),
      });
    }
    const expected = side.results.length * settings.clients;
    sides.push({
      name: side.name,
      trigger: side.trigger,
      connectSeconds: side.connectSeconds,
      heapAfterJoinMb: side.heapAfterJoinMb,
      expected,
      delivered,
      lost: expected - delivered,
      late: delivered - inTime,
      duplicates: tally.duplicates,
      stray: tally.stray,
      droppedConnections: tally.dropped,
      latencyMs: distribution(all),
      phasesMs: Object.fromEntries(
        Object.entries(phases).map(([phase, values]) => [phase, median(values)]),
      ) as FanoutSide['phasesMs'],
      perPost,
    });
  }
  const [appSide, bareSide, twinSide] = sides as [FanoutSide, FanoutSide, FanoutSide | undefined];
  return {
    settings,
    app: appSide,
    bare: bareSide,
    ...(twinSide
      ? {
          twin: twinSide,
          twinRatioP99: round(twinSide.latencyMs.p99 / bareSide.latencyMs.p99, 3),
          twinDurable: options.twin?.durable === true,
        }
      : {}),
    appPostSql,
    ratioP99: round(appSide.latencyMs.p99 / bareSide.latencyMs.p99, 3),
    ratioP50: round(appSide.latencyMs.p50 / bareSide.latencyMs.p50, 3),
    payloadBytes: Buffer.byteLength(bare.payload(bodyFor('bare', runId, 0))),
  };
}
