/**
 * The Q&A section's watchers (qa.ts): one child process holds a share of the clients of each
 * server (websocket transport), driven over IPC. Each client keeps, per question, the state with the
 * highest `version` it heard (as the web app does) and when each higher version reached it:
 *  - `connect`: opens a group's clients (each with a member's session cookie, or none), every one
 *    watching the room (`event:watch` on the app, `case:watch` on the bare server) with an
 *    acknowledgement, at most `concurrency` at a time;
 *  - `latencies`: for each broadcast given (a question, the version it made, when its trigger was
 *    sent), each client's delay until it first held that version or a later one; never: lost;
 *  - `converge`: waits until every client's order (`compareQuestions('top')`, `id:votes`) is the
 *    one given, or the deadline, and says how many differ;
 *  - `tally` / `close`: dropped connections, teardown.
 */
import { io, type Socket } from 'socket.io-client';
import type { LiveQuestion } from '@opsi/contracts/live';
import { monotonicMs, serve } from './ipc.ts';
import { clientGroups, openAll } from './pool.ts';
import { orderOf, type Mark } from './qa-plan.ts';

/** One question as one client holds it, and when each higher version of it arrived. */
interface Held {
  question: LiveQuestion;
  versions: number[];
  times: number[];
}

interface Group {
  clients: Map<string, Held>[];
  sockets: Socket[];
  dropped: number;
  closing: boolean;
}

const groups = clientGroups<Group>();
const group = (name: unknown) => groups.get(name);

function keep(held: Map<string, Held>, q: LiveQuestion, at: number) {
  const known = held.get(q.id);
  if (!known) {
    held.set(q.id, { question: q, versions: [q.version], times: [at] });
    return;
  }
  if (q.version <= known.question.version) return;
  known.question = q;
  known.versions.push(q.version);
  known.times.push(at);
}

async function connectOne(g: Group, index: number, message: Record<string, unknown>): Promise<Socket> {
  const cookie = (message.cookies as string[] | undefined)?.[index] ?? '';
  const socket = io(String(message.origin), {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  const held = new Map<string, Held>();
  g.clients[index] = held;
  for (const event of message.events as string[]) {
    socket.on(event, (q: LiveQuestion) => keep(held, q, monotonicMs()));
  }
  socket.on('disconnect', () => {
    if (!g.closing) g.dropped += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  const ack = (await socket.timeout(30_000).emitWithAck(String(message.watch), { slug: message.slug })) as {
    ok: boolean;
  };
  if (!ack.ok) throw new Error(`${String(message.watch)} refused: ${JSON.stringify(ack)}`);
  return socket;
}

/** When a client first held `version` or a later one of the question (NaN: never). */
function heldAt(held: Held | undefined, version: number): number {
  if (!held) return Number.NaN;
  const i = held.versions.findIndex((v) => v >= version);
  return i < 0 ? Number.NaN : held.times[i]!;
}

serve({
  async connect(message) {
    const clients = Number(message.clients);
    const g: Group = { clients: new Array(clients), sockets: [], dropped: 0, closing: false };
    groups.add(message.group, g);
    const { opened, seconds } = await openAll(clients, Number(message.concurrency ?? 25), (index) =>
      connectOne(g, index, message),
    );
    g.sockets = opened;
    return { connected: clients, seconds };
  },

  /** Per client and broadcast, ms from its trigger being sent to the client holding it (0.01 ms). */
  latencies(message) {
    const g = group(message.group);
    const marks = message.marks as Mark[];
    const latencies: number[] = [];
    let lost = 0;
    for (const held of g.clients) {
      for (const mark of marks) {
        const at = heldAt(held.get(mark.id), mark.version);
        if (Number.isNaN(at)) lost += 1;
        else latencies.push(Math.round((at - mark.sentMs) * 100) / 100);
      }
    }
    return { latencies, lost };
  },

  /** Waits (checking every 100 ms) until every client shows `expected`, or `timeoutMs`. */
  async converge(message) {
    const g = group(message.group);
    const expected = String(message.expected);
    const deadline = monotonicMs() + Number(message.timeoutMs ?? 15_000);
    const orders = () => g.clients.map((held) => orderOf([...held.values()].map((h) => h.question)));
    let differing = orders().filter((o) => o !== expected);
    while (differing.length > 0 && monotonicMs() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      differing = orders().filter((o) => o !== expected);
    }
    return { clients: g.clients.length, mismatched: differing.length, sample: differing[0]?.slice(0, 300) ?? null };
  },

  tally(message) {
    const g = group(message.group);
    return { connected: g.sockets.filter((s) => s.connected).length, dropped: g.dropped };
  },

  async close(message) {
    groups.close(message.group);
    return null;
  },
});

process.send?.('ready');
groups.exitOnSigterm();
