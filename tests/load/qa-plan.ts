/**
 * The Q&A section's load (qa.ts): a schedule fixed in advance from a seeded random generator (the
 * same every run), and its playing as an open loop (each request sent when its time comes, not when
 * the one before it was answered).
 *  - QA_QUESTIONS questions, spread over the first 80 % of the time, each asked by a member going;
 *  - QA_VOTES votes at random instants from 3 % of the time to its end, each by a member who has not
 *    voted for that question yet, for one of the questions already answered, some far more popular
 *    than others (a weight from 1 to 1/17 per question).
 */
import { compareQuestions, type LiveQuestion } from '@opsi/contracts/live';
import { monotonicMs } from './ipc.ts';
import { memberHeaders, type Member } from './seed.ts';

export const QA_QUESTIONS = 100;
export const QA_VOTES = 2000;

export interface Step {
  kind: 'ask' | 'vote';
  /** When to send it, from the start of the play. */
  atMs: number;
  /** The member who asks, or where the search for a voter starts (an index into the members). */
  member: number;
  /** Which question a vote goes to: a point in [0, 1) of the questions' summed weights. */
  pick: number;
}

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The state this request broadcasts when its answer does not carry it (the bare server's 204). */
  state?: LiveQuestion;
}

export interface PlayedStep {
  kind: Step['kind'];
  /** When it was sent, from the start of the play. */
  atMs: number;
  sentMs: number;
  answeredMs: number;
  status: number;
  /** The question as the request left it (null when it failed). */
  state: LiveQuestion | null;
  /** Why a request got no answer (status 0). */
  error?: string;
}
export type Played = PlayedStep[];

/** A broadcast to time on every client: a question, the version it made, when its trigger was sent. */
export interface Mark {
  id: string;
  version: number;
  sentMs: number;
}

/** The order a client shows: its visible questions by votes, as `id:votes`. */
export function orderOf(held: Iterable<LiveQuestion>): string {
  return [...held]
    .filter((q) => !q.hidden)
    .sort(compareQuestions('top'))
    .map((q) => `${q.id}:${q.votes}`)
    .join(',');
}

/** mulberry32: a small seeded generator, so every run plays the same schedule. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function qaPlan(durationMs: number, members: number): Step[] {
  const random = seeded(17);
  const steps: Step[] = [];
  for (let i = 0; i < QA_QUESTIONS; i += 1) {
    const atMs = ((i + random() * 0.5) / QA_QUESTIONS) * 0.8 * durationMs;
    steps.push({ kind: 'ask', atMs, member: (i * 37) % members, pick: 0 });
  }
  for (let k = 0; k < QA_VOTES; k += 1) {
    const atMs = (0.03 + 0.97 * random()) * durationMs;
    steps.push({ kind: 'vote', atMs, member: Math.floor(random() * members), pick: random() });
  }
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/** A question's text: of the length of a real one, numbered. */
const questionText = (i: number) =>
  `Question ${i + 1}: how did the second round of the consultation change the proposals, and who decided ` +
  'which of the participants’ amendments went into the final plan?';

/**
 * The members of the audience on the app: turns each step into its request when its time comes (a
 * vote waits for the first question to be answered), and learns the questions from the answers.
 */
export function audience(origin: string, slug: string, members: Member[]) {
  const asked: { id: string; weight: number; voters: Set<number> }[] = [];
  let firstAnswered = () => undefined as void;
  const first = new Promise<void>((resolve) => (firstAnswered = resolve));
  let questionsSent = 0;

  function voteFor(step: Step): Request {
    const total = asked.reduce((sum, q) => sum + q.weight, 0);
    let target = step.pick * total;
    let index = asked.findIndex((q) => (target -= q.weight) < 0);
    if (index < 0) index = asked.length - 1;
    for (let qi = 0; qi < asked.length; qi += 1) {
      const q = asked[(index + qi) % asked.length]!;
      for (let mi = 0; mi < members.length; mi += 1) {
        const voter = (step.member + mi) % members.length;
        if (q.voters.has(voter)) continue;
        q.voters.add(voter);
        const { 'content-type': _json, ...headers } = memberHeaders(members[voter]!);
        return { method: 'PUT', url: `${origin}/api/v1/questions/${q.id}/vote`, headers };
      }
    }
    throw new Error('every member already voted for every question');
  }

  return {
    async request(step: Step): Promise<Request> {
      if (step.kind === 'vote') {
        await first;
        return voteFor(step);
      }
      const text = questionText(questionsSent);
      questionsSent += 1;
      return {
        method: 'POST',
        url: `${origin}/api/v1/events/${slug}/questions`,
        headers: memberHeaders(members[step.member]!),
        body: JSON.stringify({ body: text }),
      };
    },
    answered(step: Step, state: LiveQuestion) {
      if (step.kind !== 'ask') return;
      asked.push({ id: state.id, weight: 1 / (1 + ((asked.length * 37) % 17)), voters: new Set() });
      firstAnswered();
    },
  };
}

async function fire<S extends Step | PlayedStep>(
  step: S,
  started: number,
  prepare: (step: S) => Request | Promise<Request>,
  answered?: (step: S, state: LiveQuestion) => void,
): Promise<PlayedStep> {
  let sentMs = monotonicMs();
  try {
    const request = await prepare(step);
    sentMs = monotonicMs();
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const text = await response.text();
    const answeredMs = monotonicMs();
    const state = response.ok ? (request.state ?? (JSON.parse(text) as LiveQuestion)) : null;
    if (state) answered?.(step, state);
    return { kind: step.kind, atMs: sentMs - started, sentMs, answeredMs, status: response.status, state };
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return {
      kind: step.kind,
      atMs: sentMs - started,
      sentMs,
      answeredMs: monotonicMs(),
      status: 0,
      state: null,
      error: cause,
    };
  }
}

/** Sends each step at its instant (an open loop) and waits for every answer. */
export async function playPlan<S extends Step | PlayedStep>(
  steps: S[],
  prepare: (step: S) => Request | Promise<Request>,
  answered?: (step: S, state: LiveQuestion) => void,
): Promise<Played> {
  const started = monotonicMs();
  const sent: Promise<PlayedStep>[] = [];
  for (const step of steps) {
    const wait = started + step.atMs - monotonicMs();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(fire(step, started, prepare, answered));
  }
  return Promise.all(sent);
}
