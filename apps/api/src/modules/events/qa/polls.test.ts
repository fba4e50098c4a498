/** Polls over HTTP (the authorization matrix, single and multiple choice, closing, the record), and the per-member limits of the live layer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollList } from '@opsi/contracts/live';
import { call, createTestApp, signUp, signUpAs, type Who } from '../../../testing.ts';
import {
  admin,
  app,
  coOrganiser,
  createEvent,
  eventBody,
  member,
  moderator,
  organiser,
  otherOrganiser,
  startEventsApp,
  stopEventsApp,
} from '../testing.ts';
import { goingMember, moveIntoThePast, pollsOf, qa, questionsOf } from './testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

const codeOf = (body: string) => JSON.parse(body).error.details?.[0]?.code as string | undefined;
const NEW_POLL = { question: 'Which pilot next?', options: ['Lisbon', 'Tallinn', 'Seoul'], multiple: false };

async function launch(slug: string, body: object = NEW_POLL): Promise<Poll> {
  const res = await call(app, organiser, { method: 'POST', url: pollsOf(slug), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Poll>();
}

describe('polls', () => {
  it('are launched by the event’s organisers and admins only, with options that make sense', async () => {
    const slug = (await createEvent({ capacity: 100 })).slug;
    const going = await goingMember(app, slug);
    const cast: [string, Who, number][] = [
      ['anonymous', null, 401],
      ['member not going', member, 403],
      ['member going', going, 403],
      ['moderator', moderator, 403],
      ['another event’s organiser', otherOrganiser, 403],
      ['co-organiser', coOrganiser, 201],
      ['admin', admin, 201],
    ];
    for (const [name, who, status] of cast) {
      const res = await call(app, who, { method: 'POST', url: pollsOf(slug), payload: NEW_POLL });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
    }
    const one = await call(app, organiser, {
      method: 'POST',
      url: pollsOf(slug),
      payload: { ...NEW_POLL, options: ['Only'] },
    });
    expect(one.statusCode).toBe(400);
    expect(one.body).toContain('options');
    const same = await call(app, organiser, {
      method: 'POST',
      url: pollsOf(slug),
      payload: { ...NEW_POLL, options: ['A', ' A '] },
    });
    expect(same.statusCode).toBe(422);
    expect(codeOf(same.body)).toBe('duplicate');
    const blank = await call(app, organiser, {
      method: 'POST',
      url: pollsOf(slug),
      payload: { ...NEW_POLL, question: '  ' },
    });
    expect(blank.json()).toMatchObject({ error: { details: [{ field: 'question', code: 'blank' }] } });
    expect(
      (await call(app, organiser, { method: 'POST', url: pollsOf('no-such-event'), payload: NEW_POLL })).statusCode,
    ).toBe(404);
    const list = (await call(app, null, { method: 'GET', url: pollsOf(slug) })).json<PollList>();
    expect(list).toMatchObject({ canManage: false, canVote: false });
    expect(list.items).toHaveLength(2);
    expect((await call(app, null, { method: 'GET', url: pollsOf('no-such-event') })).statusCode).toBe(404);
  });

  it('take one vote per member, replaced when changed: exactly one option unless multiple', async () => {
    const slug = (await createEvent({ capacity: 100 })).slug;
    const single = await launch(slug);
    const multi = await launch(slug, {
      question: 'Which themes?',
      options: ['Data', 'Health', 'Cities'],
      multiple: true,
    });
    const going = await goingMember(app, slug);
    const vote = (who: Who, id: string, options: unknown) =>
      call(app, who, { method: 'PUT', url: `/api/v1/polls/${id}/vote`, payload: { options } });

    for (const [name, who, status] of [
      ['anonymous', null, 401],
      ['member not going', member, 200],
      ['member going', going, 200],
      ['moderator', moderator, 200],
      ['organiser', organiser, 200],
      ['admin', admin, 200],
    ] as [string, Who, number][]) {
      const res = await vote(who, single.id, [1]);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
    }
    const changed = (await vote(member, single.id, [2])).json<Poll>();
    expect(changed.options.map((o) => o.votes)).toEqual([0, 4, 1]);
    expect(changed).toMatchObject({ voters: 5, myVote: [2] });

    const two = await vote(member, single.id, [0, 1]);
    expect(two.statusCode).toBe(422);
    expect(two.json()).toMatchObject({ error: { details: [{ field: 'options', code: 'too_many' }] } });
    expect(codeOf((await vote(member, single.id, [])).body)).toBe('too_few');
    expect(codeOf((await vote(member, single.id, [3])).body)).toBe('unknown_option');
    expect((await vote(member, single.id, ['first'])).statusCode).toBe(400);
    expect((await vote(member, '999999999', [0])).statusCode).toBe(404);

    const several = (await vote(going, multi.id, [2, 0, 2])).json<Poll>();
    expect(several).toMatchObject({ myVote: [0, 2], voters: 1 });
    expect(several.options.map((o) => o.votes)).toEqual([1, 0, 1]);
    expect((await call(app, going, { method: 'GET', url: pollsOf(slug) })).json<PollList>().items).toMatchObject([
      { id: multi.id, myVote: [0, 2] },
      { id: single.id, myVote: [1] },
    ]);
  });

  it('count concurrent votes once each, the last choice of each member', async () => {
    const slug = (await createEvent({ capacity: 100 })).slug;
    const poll = await launch(slug);
    const voters = await Promise.all(Array.from({ length: 16 }, () => signUp(app)));
    const all = await Promise.all(
      voters.flatMap((who, i) => [
        call(app, who, { method: 'PUT', url: `/api/v1/polls/${poll.id}/vote`, payload: { options: [i % 3] } }),
        call(app, who, { method: 'PUT', url: `/api/v1/polls/${poll.id}/vote`, payload: { options: [i % 3] } }),
      ]),
    );
    expect(all.every((r) => r.statusCode === 200)).toBe(true);
    const after = (await call(app, null, { method: 'GET', url: pollsOf(slug) })).json<PollList>().items[0]!;
    expect(after.options.map((o) => o.votes)).toEqual([6, 5, 5]);
    expect(after.voters).toBe(16);
  });

  it('close for their organisers and admins, then refuse votes and stay as a record after the event', async () => {
    const slug = (await createEvent({ capacity: 100 })).slug;
    const poll = await launch(slug);
    await call(app, member, { method: 'PUT', url: `/api/v1/polls/${poll.id}/vote`, payload: { options: [0] } });
    const close = `/api/v1/polls/${poll.id}/close`;
    for (const [name, who, status] of [
      ['anonymous', null, 401],
      ['member', member, 403],
      ['moderator', moderator, 403],
      ['another event’s organiser', otherOrganiser, 403],
      ['organiser', organiser, 200],
      ['admin, again', admin, 200],
    ] as [string, Who, number][]) {
      const res = await call(app, who, { method: 'POST', url: close });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
    }
    expect((await call(app, organiser, { method: 'POST', url: '/api/v1/polls/999999999/close' })).statusCode).toBe(404);
    const late = await call(app, member, {
      method: 'PUT',
      url: `/api/v1/polls/${poll.id}/vote`,
      payload: { options: [1] },
    });
    expect(late.statusCode).toBe(409);
    expect(codeOf(late.body)).toBe('poll_closed');

    const open = await launch(slug, { ...NEW_POLL, question: 'Still open at the end?' });
    await moveIntoThePast(app, slug);
    const over = await call(app, member, {
      method: 'PUT',
      url: `/api/v1/polls/${open.id}/vote`,
      payload: { options: [1] },
    });
    expect(codeOf(over.body)).toBe('event_over');
    expect(codeOf((await call(app, organiser, { method: 'POST', url: pollsOf(slug), payload: NEW_POLL })).body)).toBe(
      'event_over',
    );
    const record = (await call(app, null, { method: 'GET', url: pollsOf(slug) })).json<PollList>();
    expect(record.items.map((p) => [p.question, p.closed, p.voters])).toEqual([
      ['Still open at the end?', false, 0],
      ['Which pilot next?', true, 1],
    ]);
  });
});

describe('per-member limits', () => {
  it('QUESTIONS_PER_MINUTE and LIVE_VOTES_PER_MINUTE refuse with 429, and ABUSE_LIMITS=off lifts them', async () => {
    for (const abuse of ['on', 'off']) {
      const limited = await createTestApp({
        QUESTIONS_PER_MINUTE: '2',
        LIVE_VOTES_PER_MINUTE: '2',
        ABUSE_LIMITS: abuse,
      });
      try {
        const host = await signUpAs(limited, 'organiser');
        const body = eventBody({ coOrganisers: [], capacity: 100 });
        await call(limited, host, { method: 'POST', url: '/api/v1/events', payload: body });
        await call(limited, host, { method: 'POST', url: qa(body.slug), payload: { open: true } });
        const asked = [];
        for (const n of [1, 2, 3]) {
          asked.push(
            await call(limited, host, {
              method: 'POST',
              url: questionsOf(body.slug),
              payload: { body: `Question ${n}` },
            }),
          );
        }
        const votes = [];
        for (const method of ['PUT', 'DELETE', 'PUT'] as const) {
          const id = asked[0]!.json<{ id: string }>().id;
          votes.push(await call(limited, host, { method, url: `/api/v1/questions/${id}/vote` }));
        }
        const third = [asked[2]!, votes[2]!];
        if (abuse === 'off') {
          expect(third.map((r) => r.statusCode)).toEqual([201, 200]);
          continue;
        }
        expect(third.map((r) => r.statusCode)).toEqual([429, 429]);
        expect(Number(asked[2]!.headers['retry-after'])).toBeGreaterThan(0);
        expect(asked[2]!.json()).toMatchObject({ error: { details: [{ limit: 'questions_per_minute', max: 2 }] } });
        expect(votes[2]!.json()).toMatchObject({ error: { details: [{ limit: 'live_votes_per_minute', max: 2 }] } });
      } finally {
        await limited.close();
      }
    }
  });
});
