/** The live Q&A section's Markdown (qa.ts). */
import type { CpuUsage } from './cpu.ts';
import type { Distribution } from './fanout.ts';
import { QA_TARGET_P99_RATIO, type QaResult, type QaSide } from './qa.ts';
import { verdict } from './section-report.ts';

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
      `and ${r.settings.votes} votes by them over ${r.settings.seconds} s of schedule (BENCH_QA_SECONDS; the issue's ` +
      `ten minutes, ${(600 / r.settings.seconds).toFixed(1)} times faster), fixed in advance and sent whatever the ` +
      `answers before. The schedule is played in ${r.settings.rounds} rounds; after each, a bare Socket.IO server ` +
      'broadcasts the payloads the app broadcast, at the same instants of the round, to as many clients (so both ' +
      'sides meet the same machine, shared with other work). Vote-to-screen: per client and vote, from just before ' +
      'the vote is sent to the client holding that version of the question or a later one (as the web app keeps ' +
      `the highest \`version\`). Payload ${r.app.payloadBytes} bytes of JSON on the app, ${r.bare.payloadBytes} on ` +
      "the bare server (the same, with the room's slug).",
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
    `| CPU while playing (all rounds): server, PostgreSQL, load generator, socket clients | ${cpuText(r.app.cpu)} | ${cpuText(r.bare.cpu)} |`,
    '',
  ];
}

export const qaFailed = (r: QaResult) => r.error !== null;
