/**
 * The live layer across two nodes of one database (the Socket.IO Postgres adapter joins them):
 * watchers on node A and node B of an event's room, while members ask and vote through both nodes
 * at once, all end with the same questions in the same order with the same counts, those the API
 * answers; the same for a poll's counts and its closing. Each watcher keeps, per item, the state
 * with the highest `version` it heard (as the web app does), whatever order the broadcasts came in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  compareQuestions,
  newer,
  type LivePoll,
  type LiveQuestion,
  type PollList,
  type QuestionList,
} from '@opsi/contracts/live';
import { call, createTestApp, listen, signUp, signUpAs, type Member } from '../../../testing.ts';
import { ack, closeSockets, connectSocket, type LiveSocket } from '../../../testing-sockets.ts';
import { until } from '../../../testing-until.ts';
import { liveEventBody, pollsOf, qa, questionsOf } from './testing.ts';

const SETTINGS = { ABUSE_LIMITS: 'off', RATE_LIMIT_PER_MINUTE: '100000' };
let a: FastifyInstance;
let b: FastifyInstance;
let origins: [string, string];

beforeAll(async () => {
  [a, b] = await Promise.all([createTestApp(SETTINGS), createTestApp(SETTINGS)]);
  origins = [await listen(a), await listen(b)];
});
afterAll(async () => {
  closeSockets();
  await Promise.all([a.close(), b.close()]);
});

/** What one watcher knows: the latest version of each question and poll it heard. */
function watcher(s: LiveSocket) {
  const questions = new Map<string, LiveQuestion>();
  const polls = new Map<string, LivePoll>();
  const keep = (q: LiveQuestion) => {
    if (newer(questions.get(q.id), q)) questions.set(q.id, q);
  };
  const keepPoll = (p: LivePoll) => {
    if (newer(polls.get(p.id), p)) polls.set(p.id, p);
  };
  s.on('question:created', keep);
  s.on('question:updated', keep);
  for (const event of ['poll:created', 'poll:updated', 'poll:closed']) s.on(event, keepPoll);
  return {
    order: () =>
      [...questions.values()]
        .filter((q) => !q.hidden)
        .sort(compareQuestions('top'))
        .map((q) => `${q.id}:${q.votes}`),
    polls: () => [...polls.values()].map((p) => `${p.id}:${p.options.map((o) => o.votes).join('/')}:${p.closed}`),
  };
}

describe('Q&A and polls on two nodes', () => {
  it('bring every watcher on either node to the same order and counts', async () => {
    const host = await signUpAs(a, 'organiser');
    const body = liveEventBody();
    expect((await call(a, host, { method: 'POST', url: '/api/v1/events', payload: body })).statusCode).toBe(201);
    const slug = body.slug;
    const nodes = [a, b];
    const sockets = await Promise.all(Array.from({ length: 6 }, (_, i) => connectSocket(origins[i % 2]!)));
    for (const s of sockets) expect(await ack(s, 'event:watch', { slug })).toMatchObject({ ok: true });
    const watchers = sockets.map(watcher);

    await call(b, host, { method: 'POST', url: qa(slug), payload: { open: true } });
    const members: Member[] = await Promise.all(Array.from({ length: 12 }, () => signUp(a)));
    await Promise.all(
      members.map((m) =>
        call(a, m, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status: 'going' } }),
      ),
    );
    // Six questions, asked through both nodes at once.
    const asked = await Promise.all(
      members
        .slice(0, 6)
        .map((m, i) =>
          call(nodes[i % 2]!, m, { method: 'POST', url: questionsOf(slug), payload: { body: `Question ${i}` } }),
        ),
    );
    const ids = asked.map((r) => r.json<LiveQuestion>().id);
    // Every member votes for a spread of questions, through alternating nodes, all at once; a few take a vote back.
    await Promise.all(
      members.flatMap((m, i) =>
        ids
          .filter((_, j) => (i + j) % 3 !== 0 && j <= (i % 6) + 1)
          .map((id, k) => call(nodes[(i + k) % 2]!, m, { method: 'PUT', url: `/api/v1/questions/${id}/vote` })),
      ),
    );
    await Promise.all(
      members
        .slice(0, 4)
        .map((m, i) => call(nodes[i % 2]!, m, { method: 'DELETE', url: `/api/v1/questions/${ids[1]}/vote` })),
    );
    await call(a, host, { method: 'POST', url: `/api/v1/questions/${ids[2]}/pinned`, payload: { value: true } });

    const poll = (
      await call(b, host, {
        method: 'POST',
        url: pollsOf(slug),
        payload: { question: 'Where next?', options: ['Lisbon', 'Tallinn', 'Seoul'], multiple: false },
      })
    ).json<LivePoll>();
    await Promise.all(
      members.map((m, i) =>
        call(nodes[i % 2]!, m, { method: 'PUT', url: `/api/v1/polls/${poll.id}/vote`, payload: { options: [i % 3] } }),
      ),
    );
    // Half of them change their minds, at once.
    await Promise.all(
      members.slice(0, 6).map((m, i) =>
        call(nodes[(i + 1) % 2]!, m, {
          method: 'PUT',
          url: `/api/v1/polls/${poll.id}/vote`,
          payload: { options: [0] },
        }),
      ),
    );
    await call(a, host, { method: 'POST', url: `/api/v1/polls/${poll.id}/close` });

    const truth = (await call(b, null, { method: 'GET', url: questionsOf(slug) })).json<QuestionList>();
    const expected = truth.items.map((q) => `${q.id}:${q.votes}`);
    const polls = (await call(a, null, { method: 'GET', url: pollsOf(slug) })).json<PollList>();
    const expectedPolls = polls.items.map((p) => `${p.id}:${p.options.map((o) => o.votes).join('/')}:${p.closed}`);
    expect(expectedPolls).toEqual([`${poll.id}:8/2/2:true`]);
    expect(truth.items).toHaveLength(6);

    await until(
      () => watchers.every((w) => w.order().join() === expected.join() && w.polls().join() === expectedPolls.join()),
      () =>
        `every watcher at ${expected.join()} | ${expectedPolls.join()}; they are at ${watchers.map((w) => w.order().join()).join(' ; ')}`,
    );
    expect(truth.items.filter((q) => q.pinned).map((q) => q.id)).toEqual([ids[2]]);
  });
});
