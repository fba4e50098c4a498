/**
 * The live Q&A at conference size (BENCH_ONLY=qa): BENCH_QA_CLIENTS (500) members going to an event
 * with Q&A open, each watching its room on a socket of their own (websocket transport, signed in),
 * spread over BENCH_QA_PROCESSES (2) child processes (qa-clients.ts). 100 questions and 2,000 votes
 * (the ten minutes, compressed to BENCH_QA_SECONDS, 120) are sent on a schedule fixed in
 * advance (qa-plan.ts), each when its time comes whatever the answers before it (an open loop, as
 * an audience votes). Vote-to-screen latency: from just before a vote's request is sent until each
 * client holds that vote's version of the question (or a later one). The schedule is played in
 * QA_ROUNDS rounds; after each, a bare Socket.IO server (servers/bare-socketio.ts, the fan-out
 * section's baseline) broadcasts the payloads the app broadcast, at the same instants of the round,
 * to as many clients: both sides meet the same machine (it is shared, its load drifts). At the end
 * every client must show the order and counts the API answers (GET of the questions, `top`).
 * 60 s (ten times the rate) saturated the shared 2-core machine in the first run: the
 * latencies measured were queues, on both sides.
 */
import type { ChildProcess } from 'node:child_process';
import type { LiveQuestion, QuestionList } from '@opsi/contracts/live';
import { measureCpu, type CpuGroups, type CpuUsage } from './cpu.ts';
import { distribution, type Distribution } from './fanout.ts';
import { positiveInteger } from './http.ts';
import { ask, monotonicMs } from './ipc.ts';
import { audience, orderOf, playPlan, qaPlan, QA_QUESTIONS, QA_VOTES, type Mark, type Played } from './qa-plan.ts';
import { call, type Member } from './seed.ts';

export const QA_SECONDS = positiveInteger('BENCH_QA_SECONDS', 120);
/** The schedule is played in rounds, each on the app then replayed on the bare server, so both meet the same machine. */
export const QA_ROUNDS = 6;
export const QA_CLIENTS = positiveInteger('BENCH_QA_CLIENTS', 500);
export const QA_PROCESSES = positiveInteger('BENCH_QA_PROCESSES', 2);
/** The goal for the live layer, as for a post's fan-out: p99 within this many times the bare broadcast's. */
export const QA_TARGET_P99_RATIO = 1.2;
const QA_SLUG = 'bench-qa';

export interface Convergence {
  clients: number;
  mismatched: number;
  /** One differing client's order (`id:votes`, cut at 300 characters), when any. */
  sample: string | null;
}

export interface QaSide {
  name: string;
  trigger: string;
  connectSeconds: number;
  /** Triggers sent: questions and votes (the bare side: their broadcasts replayed). */
  questions: number;
  votes: number;
  errors: number;
  /** Failed requests by their answer's status (0 and the reason: no answer, or no question left to vote for). */
  failures: Record<string, number>;
  /** Votes that succeeded (each made one broadcast). */
  votesCounted: number;
  /** Per client and vote: from the vote's request sent to the client holding it. */
  voteToScreenMs: Distribution;
  questionToScreenMs: Distribution;
  /** Client × broadcast pairs that never arrived (votes and questions). */
  lost: number;
  /** The triggering requests, from sent to answered. */
  answeredMs: Distribution;
  payloadBytes: number;
  droppedConnections: number;
  convergence: Convergence;
  cpu: CpuUsage;
}

export interface QaResult {
  settings: { seconds: number; rounds: number; clients: number; processes: number; questions: number; votes: number };
  /** What the API answers at the end (GET of the questions, `top`). */
  api: { questions: number; votes: number };
  app: QaSide;
  bare: QaSide;
  ratioP99: number;
  ratioP50: number;
  /** Set when the section failed: clients that did not converge, lost updates, failed requests. */
  error: string | null;
}

/** A failure's key: its status, or 0 and why no answer came. */
const key = (p: Played[number]) => (p.status ? String(p.status) : `0 ${p.error ?? ''}`.trim());
const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
const round2 = (n: number) => Number(n.toFixed(2));

/** The event, Q&A open, and every member going (through the API, as members would). */
async function seedEvent(origin: string, organiser: Member, members: Member[]): Promise<void> {
  const starts = new Date(Date.now() + 30 * 24 * 3600_000);
  await call(origin, 'POST', '/api/v1/events', organiser, {
    slug: QA_SLUG,
    title: 'Benchmark conference: live Q&A',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 8 * 3600_000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'online',
    onlineUrl: 'https://meet.example.org/bench-qa',
    capacity: null,
  });
  await call(origin, 'POST', `/api/v1/events/${QA_SLUG}/qa`, organiser, { open: true });
  for (let i = 0; i < members.length; i += 25) {
    await Promise.all(
      members
        .slice(i, i + 25)
        .map((m) => call(origin, 'PUT', `/api/v1/events/${QA_SLUG}/rsvp`, m, { status: 'going' })),
    );
  }
}

interface SideSetup {
  group: 'app' | 'bare';
  origin: string;
  cookies: string[];
  watch: string;
  events: string[];
}

/** Opens a side's clients, shared out over the client processes; returns the seconds it took. */
async function connectSide(clients: ChildProcess[], side: SideSetup): Promise<number> {
  const started = monotonicMs();
  const share = Math.ceil(side.cookies.length / clients.length);
  await Promise.all(
    clients.map((c, i) => {
      const cookies = side.cookies.slice(i * share, (i + 1) * share);
      return ask(c, 'connect', { ...side, slug: QA_SLUG, cookies, clients: cookies.length }, 600_000);
    }),
  );
  return Number(((monotonicMs() - started) / 1000).toFixed(1));
}

/** Every client's latency to the given broadcasts, from every process, and the pairs lost. */
async function latencies(clients: ChildProcess[], group: string, marks: Mark[]) {
  const answers = await Promise.all(
    clients.map((c) => ask<{ latencies: number[]; lost: number }>(c, 'latencies', { group, marks }, 300_000)),
  );
  return { all: answers.flatMap((a) => a.latencies), lost: sumOf(answers.map((a) => a.lost)) };
}

async function converge(clients: ChildProcess[], group: string, expected: string): Promise<Convergence> {
  const answers = await Promise.all(
    clients.map((c) => ask<Convergence>(c, 'converge', { group, expected, timeoutMs: 30_000 }, 90_000)),
  );
  return {
    clients: sumOf(answers.map((a) => a.clients)),
    mismatched: sumOf(answers.map((a) => a.mismatched)),
    sample: answers.find((a) => a.sample)?.sample ?? null,
  };
}

/** A side's figures once its schedule was played and its clients converged (or the deadline passed). */
async function measured(
  clients: ChildProcess[],
  group: string,
  played: Played,
  expected: string,
): Promise<Omit<QaSide, 'name' | 'trigger' | 'connectSeconds' | 'cpu' | 'payloadBytes'>> {
  const convergence = await converge(clients, group, expected);
  const ok = played.filter((p) => p.state);
  const marks = (kind: string) =>
    ok.filter((p) => p.kind === kind).map((p) => ({ id: p.state!.id, version: p.state!.version, sentMs: p.sentMs }));
  const votes = await latencies(clients, group, marks('vote'));
  const asked = await latencies(clients, group, marks('ask'));
  const tallies = await Promise.all(clients.map((c) => ask<{ dropped: number }>(c, 'tally', { group })));
  await Promise.all(clients.map((c) => ask(c, 'close', { group })));
  return {
    questions: played.filter((p) => p.kind === 'ask').length,
    votes: played.filter((p) => p.kind === 'vote').length,
    errors: played.length - ok.length,
    failures: played
      .filter((p) => !p.state)
      .reduce<Record<string, number>>((counts, p) => ({ ...counts, [key(p)]: (counts[key(p)] ?? 0) + 1 }), {}),
    votesCounted: ok.filter((p) => p.kind === 'vote').length,
    voteToScreenMs: distribution(votes.all),
    questionToScreenMs: distribution(asked.all),
    lost: votes.lost + asked.lost,
    answeredMs: distribution(played.map((p) => p.answeredMs - p.sentMs)),
    droppedConnections: sumOf(tallies.map((t) => t.dropped)),
    convergence,
  };
}

const publicState = (q: LiveQuestion & { myVote?: boolean }): LiveQuestion => {
  const { myVote: _mine, ...state } = q;
  return state;
};
/** What the bare server is sent: the app's broadcast, with the room's slug. */
const barePayload = (q: LiveQuestion) => JSON.stringify({ ...publicState(q), caseSlug: QA_SLUG });

/** CPU usage of several measurements, added up. */
function summed(usages: CpuUsage[]): CpuUsage {
  const cpuSeconds: Record<string, number> = {};
  for (const u of usages) {
    for (const [group, s] of Object.entries(u.cpuSeconds)) cpuSeconds[group] = round2((cpuSeconds[group] ?? 0) + s);
  }
  return { seconds: round2(sumOf(usages.map((u) => u.seconds))), cpuSeconds };
}

export async function runQa(options: {
  app: { server: ChildProcess; origin: string };
  bare: { server: ChildProcess; origin: string };
  /** The client processes (qa-clients.ts). */
  clients: ChildProcess[];
  /** The CPU split for a server of this section. */
  groups: (server: ChildProcess) => CpuGroups;
  log: (line: string) => void;
}): Promise<QaResult> {
  const { app, bare, clients, log } = options;
  const [organiser] = await ask<Member[]>(app.server, 'members', { count: 1, prefix: 'qa-organiser' });
  const members = await ask<Member[]>(app.server, 'bulk-members', { count: QA_CLIENTS, prefix: 'qa-member' }, 600_000);
  await seedEvent(app.origin, organiser!, members);
  log(`qa: ${members.length} members going to ${QA_SLUG}, Q&A open; connecting their sockets`);

  const appConnect = await connectSide(clients, {
    group: 'app',
    origin: app.origin,
    cookies: members.map((m) => m.cookie),
    watch: 'event:watch',
    events: ['question:created', 'question:updated'],
  });
  const bareConnect = await connectSide(clients, {
    group: 'bare',
    origin: bare.origin,
    cookies: members.map(() => ''),
    watch: 'case:watch',
    events: ['post:created'],
  });
  log(`qa: ${members.length} sockets on each server (${appConnect} s app, ${bareConnect} s bare)`);

  const plan = qaPlan(QA_SECONDS * 1000, members.length);
  log(`qa: ${QA_QUESTIONS} questions and ${QA_VOTES} votes in ${QA_SECONDS} s, in ${QA_ROUNDS} rounds a side`);
  const crowd = audience(app.origin, QA_SLUG, members);
  const roundMs = (QA_SECONDS * 1000) / QA_ROUNDS;
  const appPlayed: Played = [];
  const barePlayed: Played = [];
  const cpu: { app: CpuUsage[]; bare: CpuUsage[] } = { app: [], bare: [] };
  for (let round = 0; round < QA_ROUNDS; round += 1) {
    const steps = plan
      .filter((s) => s.atMs >= round * roundMs && (s.atMs < (round + 1) * roundMs || round === QA_ROUNDS - 1))
      .map((s) => ({ ...s, atMs: s.atMs - round * roundMs }));
    const appCpu = measureCpu(options.groups(app.server));
    const played = await playPlan(steps, crowd.request, crowd.answered);
    cpu.app.push(appCpu());
    // The bare server broadcasts each state the app broadcast, at the instant (in its round) its trigger was sent.
    const bareCpu = measureCpu(options.groups(bare.server));
    const replayed = await playPlan(
      played.filter((p) => p.state),
      (step) => ({
        method: 'POST',
        url: `${bare.origin}/emit`,
        headers: { 'content-type': 'application/json' },
        body: barePayload(step.state!),
        state: publicState(step.state!),
      }),
    );
    cpu.bare.push(bareCpu());
    appPlayed.push(...played);
    barePlayed.push(...replayed);
    log(`qa: round ${round + 1}/${QA_ROUNDS}: ${played.length} app triggers, ${replayed.length} bare broadcasts`);
  }
  const truth = (await call(
    app.origin,
    'GET',
    `/api/v1/events/${QA_SLUG}/questions?sort=top`,
  )) as unknown as QuestionList;
  const expected = orderOf(truth.items);
  const states = appPlayed.filter((p) => p.state).map((p) => p.state!);
  const meanBytes = (payload: (q: LiveQuestion) => string) =>
    Math.round(sumOf(states.map((q) => Buffer.byteLength(payload(q)))) / Math.max(1, states.length));
  const appSide: QaSide = {
    name: 'app: PUT /api/v1/questions/:id/vote → question:updated',
    trigger: 'a vote (signed in) on the app',
    connectSeconds: appConnect,
    ...(await measured(clients, 'app', appPlayed, expected)),
    payloadBytes: meanBytes((q) => JSON.stringify(publicState(q))),
    cpu: summed(cpu.app),
  };
  const bareSide: QaSide = {
    name: 'bare Socket.IO: io.to(room).emit',
    trigger: 'POST /emit (the app’s broadcast as JSON) to a plain node:http + socket.io server',
    connectSeconds: bareConnect,
    ...(await measured(clients, 'bare', barePlayed, expected)),
    payloadBytes: meanBytes(barePayload),
    cpu: summed(cpu.bare),
  };
  log(`qa: vote-to-screen p99 ${appSide.voteToScreenMs.p99} ms app, ${bareSide.voteToScreenMs.p99} ms bare`);

  const askedOk = appPlayed.filter((p) => p.kind === 'ask' && p.state).length;
  const api = { questions: truth.items.length, votes: sumOf(truth.items.map((q) => q.votes)) };
  const problems = [
    appSide.convergence.mismatched && `${appSide.convergence.mismatched} app clients differ from the API`,
    bareSide.convergence.mismatched && `${bareSide.convergence.mismatched} bare clients differ from the API`,
    appSide.errors + bareSide.errors &&
      `${appSide.errors} app and ${bareSide.errors} bare requests failed (by status: app ${JSON.stringify(appSide.failures)}, bare ${JSON.stringify(bareSide.failures)})`,
    appSide.lost + bareSide.lost && `${appSide.lost} app and ${bareSide.lost} bare deliveries never arrived`,
    (api.questions !== askedOk || api.votes !== appSide.votesCounted) &&
      `the API holds ${api.questions} questions and ${api.votes} votes, ${askedOk} and ${appSide.votesCounted} succeeded`,
  ].filter(Boolean);
  return {
    settings: {
      seconds: QA_SECONDS,
      rounds: QA_ROUNDS,
      clients: members.length,
      processes: clients.length,
      questions: QA_QUESTIONS,
      votes: QA_VOTES,
    },
    api,
    app: appSide,
    bare: bareSide,
    ratioP99: ratio(appSide.voteToScreenMs.p99, bareSide.voteToScreenMs.p99),
    ratioP50: ratio(appSide.voteToScreenMs.p50, bareSide.voteToScreenMs.p50),
    error: problems.length ? problems.join('; ') : null,
  };
}
