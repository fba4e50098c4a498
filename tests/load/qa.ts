/**
 * The live Q&A at conference size (BENCH_ONLY=qa): BENCH_QA_CLIENTS (500) members going to an event
 * with Q&A open, each watching its room on a socket of their own (websocket transport, signed in),
 * spread over BENCH_QA_PROCESSES (2) child processes (qa-clients.ts). 100 questions and 2,000 votes
 * (the issue's ten minutes, compressed to BENCH_QA_SECONDS, 60) are sent on a schedule fixed in
 * advance (qa-plan.ts), each when its time comes whatever the answers before it (an open loop, as
 * an audience votes). Vote-to-screen latency: from just before a vote's request is sent until each
 * client holds that vote's version of the question (or a later one). Then, in the same run, a bare
 * Socket.IO server (servers/bare-socketio.ts) broadcasts the same payloads at the same instants to
 * as many clients (the fan-out section's baseline). At the end every client must show the order
 * and counts the API answers (GET of the questions, `top`).
 */
import type { ChildProcess } from 'node:child_process';
import type { LiveQuestion, QuestionList } from '@opsi/contracts/live';
import { measureCpu, type CpuGroups, type CpuUsage } from './cpu.ts';
import { distribution, type Distribution } from './fanout.ts';
import { positiveInteger } from './http.ts';
import { ask, monotonicMs } from './ipc.ts';
import { audience, orderOf, playPlan, qaPlan, QA_QUESTIONS, QA_VOTES, type Mark, type Played } from './qa-plan.ts';
import { call, type Member } from './seed.ts';
import { verdict } from './section-report.ts';

export const QA_SECONDS = positiveInteger('BENCH_QA_SECONDS', 60);
export const QA_CLIENTS = positiveInteger('BENCH_QA_CLIENTS', 500);
export const QA_PROCESSES = positiveInteger('BENCH_QA_PROCESSES', 2);
/** The issue's goal for the live layer, as for a post's fan-out: p99 within this many times the bare broadcast's. */
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
  /** Failed requests by their answer's status (0: no answer, or no question left to vote for). */
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
  settings: { seconds: number; clients: number; processes: number; questions: number; votes: number };
  /** What the API answers at the end (GET of the questions, `top`). */
  api: { questions: number; votes: number };
  app: QaSide;
  bare: QaSide;
  ratioP99: number;
  ratioP50: number;
  /** Set when the section failed: clients that did not converge, lost updates, failed requests. */
  error: string | null;
}

const sumOf = (values: number[]) => values.reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

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
      .reduce<Record<string, number>>((counts, p) => ({ ...counts, [p.status]: (counts[p.status] ?? 0) + 1 }), {}),
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
  log(`qa: app: ${QA_QUESTIONS} questions and ${QA_VOTES} votes in ${QA_SECONDS} s`);
  const appCpu = measureCpu(options.groups(app.server));
  const crowd = audience(app.origin, QA_SLUG, members);
  const appPlayed = await playPlan(plan, crowd.request, crowd.answered);
  const truth = (await call(
    app.origin,
    'GET',
    `/api/v1/events/${QA_SLUG}/questions?sort=top`,
  )) as unknown as QuestionList;
  const expected = orderOf(truth.items);
  const appFigures = await measured(clients, 'app', appPlayed, expected);
  const appSide: QaSide = {
    name: 'app: PUT /api/v1/questions/:id/vote → question:updated',
    trigger: 'a vote (signed in) on the app',
    connectSeconds: appConnect,
    ...appFigures,
    payloadBytes: 0,
    cpu: appCpu(),
  };
  log(`qa: app vote-to-screen p99 ${appSide.voteToScreenMs.p99} ms, ${appSide.convergence.mismatched} clients differ`);

  // The bare server broadcasts each state the app broadcast, at the instant its trigger was sent.
  const replay = appPlayed
    .filter((p) => p.state)
    .map((p) => ({ ...p, payload: JSON.stringify({ ...publicState(p.state!), caseSlug: QA_SLUG }) }));
  log(`qa: bare Socket.IO: the same ${replay.length} broadcasts at the same instants`);
  const bareCpu = measureCpu(options.groups(bare.server));
  const barePlayed = await playPlan(replay, (step) => ({
    method: 'POST',
    url: `${bare.origin}/emit`,
    headers: { 'content-type': 'application/json' },
    body: step.payload,
    state: publicState(step.state!),
  }));
  const bareFigures = await measured(clients, 'bare', barePlayed, expected);
  const bareSide: QaSide = {
    name: 'bare Socket.IO: io.to(room).emit',
    trigger: 'POST /emit (the app’s broadcast as JSON) to a plain node:http + socket.io server',
    connectSeconds: bareConnect,
    ...bareFigures,
    payloadBytes: Math.round(sumOf(replay.map((r) => Buffer.byteLength(r.payload))) / Math.max(1, replay.length)),
    cpu: bareCpu(),
  };
  appSide.payloadBytes = Math.round(
    sumOf(replay.map((r) => Buffer.byteLength(JSON.stringify(publicState(r.state!))))) / Math.max(1, replay.length),
  );

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

const cpuText = (cpu: CpuUsage) =>
  `${cpu.seconds} s: ${Object.entries(cpu.cpuSeconds)
    .map(([group, s]) => `${group} ${s} s`)
    .join(', ')}`;

export function qaMarkdown(r: QaResult): string[] {
  const d = (x: Distribution) => `${x.p50} | ${x.p95} | ${x.p99} | ${x.max}`;
  const row = (s: QaSide) =>
    `| ${s.name} | ${s.votes} | ${d(s.voteToScreenMs)} | ${s.lost} | ${s.errors} | ${s.convergence.mismatched}/${s.convergence.clients} |`;
  return [
    `## Live Q&A at conference size: ${r.settings.clients} sockets, ${r.settings.questions} questions, ${r.settings.votes} votes`,
    '',
    `${r.settings.clients} members going to one event, each watching its room on a socket of their own ` +
      `(websocket transport, signed in; ${r.settings.processes} client processes), ${r.settings.questions} questions ` +
      `and ${r.settings.votes} votes by them in ${r.settings.seconds} s (BENCH_QA_SECONDS; the issue's ten ` +
      'minutes compressed), on a schedule fixed in advance and sent whatever the answers before. Then a bare ' +
      'Socket.IO server broadcasts the same payloads at the same instants to as many clients. Vote-to-screen: ' +
      'per client and vote, from just before the vote is sent to the client holding that version of the question ' +
      `or a later one (as the web app keeps the highest \`version\`). Payload ${r.app.payloadBytes} bytes of JSON ` +
      `on the app, ${r.bare.payloadBytes} on the bare server (the same, with the room's slug).`,
    '',
    '| server | votes | p50 ms | p95 ms | p99 ms | max ms | lost | failed requests | clients differing from the API |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(r.app),
    row(r.bare),
    '',
    `Ratio app p99 ÷ bare p99 (same run): **${r.ratioP99.toFixed(3)}**, goal ≤ ${QA_TARGET_P99_RATIO}: ` +
      `${verdict(r.ratioP99 <= QA_TARGET_P99_RATIO, r.ratioP99.toFixed(3))}. p50 ratio: ${r.ratioP50.toFixed(3)}.`,
    '',
    `Convergence: the API answers ${r.api.questions} questions and ${r.api.votes} votes; ` +
      `${r.app.convergence.clients - r.app.convergence.mismatched} of ${r.app.convergence.clients} app clients ` +
      `and ${r.bare.convergence.clients - r.bare.convergence.mismatched} of ${r.bare.convergence.clients} bare ` +
      'clients show exactly its order and counts' +
      (r.app.convergence.sample ? `; one app client differs: \`${r.app.convergence.sample}\`` : '') +
      '.',
    '',
    r.error
      ? `**Error**: ${r.error}.`
      : 'No error: every client converged, every delivery arrived, every request succeeded.',
    '',
    '| | app | bare |',
    '| --- | --- | --- |',
    `| question-to-screen p50 / p99 / max ms | ${r.app.questionToScreenMs.p50} / ${r.app.questionToScreenMs.p99} / ${r.app.questionToScreenMs.max} | ${r.bare.questionToScreenMs.p50} / ${r.bare.questionToScreenMs.p99} / ${r.bare.questionToScreenMs.max} |`,
    `| trigger answered p50 / p99 ms | ${r.app.answeredMs.p50} / ${r.app.answeredMs.p99} | ${r.bare.answeredMs.p50} / ${r.bare.answeredMs.p99} |`,
    `| connecting the clients | ${r.app.connectSeconds} s | ${r.bare.connectSeconds} s |`,
    `| connections dropped | ${r.app.droppedConnections} | ${r.bare.droppedConnections} |`,
    `| CPU while playing (server, PostgreSQL, load generator, socket clients) | ${cpuText(r.app.cpu)} | ${cpuText(r.bare.cpu)} |`,
    '',
  ];
}

export const qaFailed = (r: QaResult) => r.error !== null;
