/**
 * The RSVP storm: `members` members answer "going" to one event with `capacity` seats, all at once
 * (their keep-alive connections opened beforehand, so the burst measures the RSVPs, not TCP
 * handshakes). Each request's latency is taken from just before it is written to its response's
 * end; afterwards the event must hold exactly `capacity` going and the rest waitlisted.
 */
import { Agent, request } from 'node:http';
import { memberHeaders, type Member } from './seed.ts';
import { verdict } from './section-report.ts';

export interface StormResult {
  members: number;
  capacity: number;
  /** From the first request written to the last response received. */
  wallMs: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  errors: number;
  going: number;
  waitlisted: number;
  /** Waitlist positions 1..n, each once. */
  positionsContiguous: boolean;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function send(agent: Agent, origin: string, method: string, path: string, member: Member, body?: unknown) {
  return new Promise<Answer>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { 'content-type': json, ...bodyless } = memberHeaders(member);
    const started = performance.now();
    const req = request(
      `${origin}${path}`,
      { method, agent, headers: payload ? { 'content-type': json, ...bodyless } : bodyless },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: String(error), ms: performance.now() - started }));
    req.end(payload);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export async function runStorm(options: {
  origin: string;
  organiser: Member;
  members: Member[];
  capacity: number;
  slug: string;
}): Promise<StormResult> {
  const { origin, organiser, members, capacity, slug } = options;
  const agent = new Agent({ keepAlive: true });
  // One connection per member, opened in the warm-up and kept for the burst: with one shared agent
  // the warm-up waves reuse the same 100 sockets, and the burst would open the other 900 (and wait
  // out dropped SYNs) inside the measurement.
  const own = new Map(members.map((m) => [m.handle, new Agent({ keepAlive: true, maxSockets: 1 })]));
  const agentOf = (m: Member) => own.get(m.handle)!;
  try {
    const start = new Date(Date.now() + 30 * 24 * 3600_000);
    const created = await send(agent, origin, 'POST', '/api/v1/events', organiser, {
      slug,
      title: 'Benchmark conference',
      description: 'An event created by the benchmark for the RSVP storm.',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 8 * 3600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Benchmark hall',
      capacity,
    });
    if (created.status !== 201) throw new Error(`creating the event: ${created.status} ${created.body}`);

    // Open every member's connection first (one GET each, keep-alive), in waves.
    for (let i = 0; i < members.length; i += 100) {
      await Promise.all(
        members.slice(i, i + 100).map((m) => send(agentOf(m), origin, 'GET', `/api/v1/events/${slug}`, m)),
      );
    }

    const first = performance.now();
    const answers = await Promise.all(
      members.map((m) => send(agentOf(m), origin, 'PUT', `/api/v1/events/${slug}/rsvp`, m, { status: 'going' })),
    );
    const wallMs = performance.now() - first;

    const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
    const results = answers.filter((a) => a.status === 200).map((a) => JSON.parse(a.body) as Record<string, unknown>);
    const going = results.filter((r) => r.status === 'going').length;
    const positions = results
      .filter((r) => r.status === 'waitlisted')
      .map((r) => Number(r.waitlistPosition))
      .sort((a, b) => a - b);
    const detail = await send(agent, origin, 'GET', `/api/v1/events/${slug}`, organiser);
    const event = JSON.parse(detail.body) as { goingCount: number; waitlistCount: number };
    if (event.goingCount !== going) throw new Error(`the event says ${event.goingCount} going, the answers ${going}`);
    return {
      members: members.length,
      capacity,
      wallMs: Math.round(wallMs),
      requestsPerSecond: Math.round((members.length * 1000) / wallMs),
      latencyP50Ms: Math.round(percentile(latencies, 50)),
      latencyP99Ms: Math.round(percentile(latencies, 99)),
      latencyMaxMs: Math.round(latencies[latencies.length - 1] ?? 0),
      errors: answers.filter((a) => a.status !== 200).length,
      going: event.goingCount,
      waitlisted: event.waitlistCount,
      positionsContiguous: positions.every((p, i) => p === i + 1),
    };
  } finally {
    agent.destroy();
    for (const a of own.values()) a.destroy();
  }
}

/** p99 of the storm's requests, with 0 errors. */
export const STORM_TARGET_P99_MS = 500;

export function stormMarkdown(r: StormResult): string[] {
  return [
    `## The RSVP storm: ${r.members} members answer "going" at once for ${r.capacity} seats`,
    '',
    'Every member’s keep-alive connection is opened first; then all the PUT /api/v1/events/:slug/rsvp',
    'requests are written together. Latency is per request, from writing it to the end of its response.',
    '',
    '| requests | wall time | req/s | p50 | p99 | max | errors | going | waitlisted | positions 1..n |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.members} | ${r.wallMs} ms | ${r.requestsPerSecond} | ${r.latencyP50Ms} ms | ${r.latencyP99Ms} ms | ` +
      `${r.latencyMaxMs} ms | ${r.errors} | ${r.going} | ${r.waitlisted} | ${r.positionsContiguous ? 'yes' : 'no'} |`,
    '',
    `Target p99 ≤ ${STORM_TARGET_P99_MS} ms with 0 errors: ` +
      verdict(
        r.latencyP99Ms <= STORM_TARGET_P99_MS && r.errors === 0 && r.going === r.capacity,
        `p99 ${r.latencyP99Ms} ms, ${r.errors} errors, ${r.going} going`,
      ),
    '',
  ];
}
