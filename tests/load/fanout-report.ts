/**
 * The fan-out section's markdown (fanout.ts measures): the two sides, the ratio against the goal,
 * where a post's time goes, the app's SQL for a post, and the slowest posts of each side.
 */
import { FANOUT_TARGET_P99_RATIO, type FanoutResult, type FanoutSide } from './fanout.ts';
import { verdict } from './section-report.ts';

export function fanoutMarkdown(f: FanoutResult): string[] {
  const side = (s: FanoutSide) =>
    `| ${s.name} | ${s.delivered}/${s.expected} | ${s.lost} | ${s.latencyMs.p50} | ${s.latencyMs.p90} | ${s.latencyMs.p99} | ${s.latencyMs.max} |`;
  const phase = (label: string, key: keyof FanoutSide['phasesMs']) =>
    `| ${label} | ${f.app.phasesMs[key]} | ${f.bare.phasesMs[key]} |${f.twin ? ` ${f.twin.phasesMs[key]} |` : ''}`;
  return [
    `## Fan-out of a new post to ${f.settings.clients} Socket.IO clients watching one case`,
    '',
    `${f.settings.clients} clients (websocket transport, a child process for each server's) on each server, all in one room; ` +
      `${f.settings.posts} posts measured after ${f.settings.warmupPosts} warm-up, one at a time (each waits for ` +
      `all its deliveries, then ${f.settings.gapMs} ms of quiet), the app and the bare server taking turns. ` +
      `Latency: from just before the triggering HTTP request is sent to each client’s \`post:created\`; ` +
      `payload ${f.payloadBytes} bytes of JSON (the app’s own post, re-sent by the bare server).`,
    '',
    '| server | delivered | lost | p50 ms | p90 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    side(f.app),
    side(f.bare),
    ...(f.twin ? [side(f.twin)] : []),
    '',
    `Ratio app p99 ÷ bare p99 (same run): **${f.ratioP99.toFixed(3)}**, target ≤ ${FANOUT_TARGET_P99_RATIO}: ` +
      `${verdict(f.ratioP99 <= FANOUT_TARGET_P99_RATIO, `${f.ratioP99.toFixed(3)}`)}. p50 ratio: ${f.ratioP50.toFixed(3)}.`,
    ...(f.twinRatioP99 === undefined
      ? []
      : [
          '',
          f.twinDurable
            ? `The durable twin, a bare server that commits each post to PostgreSQL (one INSERT, its own transaction) ` +
              `before it emits, with its own ${f.settings.clients} clients taking its turn beside the two: ` +
              `twin p99 ÷ bare p99 **${f.twinRatioP99.toFixed(3)}** (the least a durable write costs on this machine).`
            : `The twin, a second bare server with its own ${f.settings.clients} clients taking its turn beside the two: ` +
              `twin p99 ÷ bare p99 **${f.twinRatioP99.toFixed(3)}** (two identical servers: what the ratio swings by on this machine).`,
        ]),
    '',
    `Late deliveries (after the ${f.settings.timeoutMs / 1000} s wait, counted as delivered): app ${f.app.late}, bare ${f.bare.late}; ` +
      `duplicates: app ${f.app.duplicates}, bare ${f.bare.duplicates}; connections dropped: app ${f.app.droppedConnections}, ` +
      `bare ${f.bare.droppedConnections}. Connecting and watching took ${f.app.connectSeconds} s (app) and ` +
      `${f.bare.connectSeconds} s (bare). ${collected(f)}`,
    '',
    'Where the time goes (medians over the measured posts, ms; server-side instants from the servers’ own',
    'instrumentation on the shared monotonic clock):',
    '',
    `| phase | app | bare |${f.twin ? ' twin |' : ''}`,
    `| --- | ---: | ---: |${f.twin ? ' ---: |' : ''}`,
    phase('request sent → request reaches the server', 'requestToServer'),
    phase(
      'request reaches the server → emit starts (app: the post written and committed; sent at its commit)',
      'serverToEmitStart',
    ),
    phase('emit call (frames written to every socket of the room)', 'emitCall'),
    phase('emit starts → first client receives', 'emitStartToFirstReceipt'),
    phase('emit ends → last client receives', 'emitEndToLastReceipt'),
    phase('request sent → its response received', 'triggerAnswered'),
    '',
    `Each measured post on the app sent ${range(f.appPostSql.statementsMin, f.appPostSql.statementsMax)} SQL statements ` +
      `inside its context (the case and the member's standing, the post's transaction, then the outbox read and what ` +
      `its emit set going: the notifier's batch); median ${f.appPostSql.serverMs.toFixed(2)} ms in the server, of ` +
      `which ${f.appPostSql.sqlMs.toFixed(2)} ms waiting on SQL. The first one's statements, each with the medians ` +
      `over the posts that sent it in the same place of when it was sent (from the request reaching the server) and ` +
      `how long its result took:`,
    '',
    ...f.appPostSql.statements.map(
      ({ text, atMs, ms }, i) =>
        `${i + 1}. at ${atMs.toFixed(2)} ms, for ${ms.toFixed(2)} ms: \`${text.slice(0, 110)}${text.length > 110 ? '…' : ''}\``,
    ),
    '',
    ...slowestPosts(f),
  ];
}

/** The posts with the highest p99 on each side, with where their time went and the server's GC pauses. */
function slowestPosts(f: FanoutResult): string[] {
  const rows = (name: string, s: FanoutSide) =>
    [...s.perPost]
      .sort((a, b) => b.p99 - a.p99)
      .slice(0, SLOWEST)
      .map(
        (p) =>
          `| ${name} | ${p.post + 1} | ${p.p50} | ${p.p99} | ${p.serverToEmitStart} | ${p.emitCall} | ${p.emitEndToLastReceipt} | ${p.gcMs}${p.gcKinds ? ` (${p.gcKinds})` : ''} |`,
      );
  return [
    `The ${SLOWEST} slowest posts of each side (ms; garbage collection: the server's pauses from the request's arrival to the last receipt):`,
    '',
    '| server | post | p50 | p99 | request reaches the server → emit | emit call | emit ends → last receipt | GC |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows('app', f.app),
    ...rows('bare', f.bare),
    ...(f.twin ? rows('twin', f.twin) : []),
    '',
  ];
}

const SLOWEST = 3;

function range(min: number, max: number): string {
  return min === max ? String(min) : `${min}–${max}`;
}

/** What the servers held once their clients had joined, each collected in full before the warm-up. */
function collected(f: FanoutResult): string {
  const sides = [['app', f.app], ['bare', f.bare], ...(f.twin ? [['twin', f.twin] as const] : [])] as const;
  if (sides.some(([, side]) => side.heapAfterJoinMb === null))
    return 'The servers were not collected before the warm-up.';
  return (
    'Then each server collected its garbage in full once, before the warm-up (what the connections left is not ' +
    `collected during some measured post of one side; what the posts leave is, and counts): heap after, ${sides
      .map(([name, side]) => `${name} ${side.heapAfterJoinMb} MB`)
      .join(', ')}.`
  );
}
