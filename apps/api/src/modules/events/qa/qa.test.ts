/** Q&A over HTTP: who may open it, ask, vote and mark questions (the authorization matrix), and what the event's end leaves. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Question, QuestionList } from '@opsi/contracts/live';
import { call, signUp, type Who } from '../../../testing.ts';
import {
  admin,
  app,
  coOrganiser,
  createEvent,
  member,
  moderator,
  organiser,
  otherOrganiser,
  startEventsApp,
  stopEventsApp,
  type Member,
} from '../testing.ts';
import { goingMember, moveIntoThePast, qa, questionsOf } from './testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

type Cast = [string, Who, number][];
const codeOf = (body: string) => JSON.parse(body).error.details?.[0]?.code as string | undefined;

/** Sends one request as each of the cast, in order, and checks each status. */
async function matrix(
  cast: Cast,
  request: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object },
) {
  for (const [name, who, status] of cast) {
    const res = await call(app, who, request);
    expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
  }
}

async function ask(who: Member, slug: string, body = 'How do you measure impact?') {
  const res = await call(app, who, { method: 'POST', url: questionsOf(slug), payload: { body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Question>();
}

describe('Q&A', () => {
  let slug: string;
  let going: Member;

  beforeAll(async () => {
    slug = (await createEvent({ capacity: 100 })).slug;
    going = await goingMember(app, slug);
  });

  it('opens and closes: its organisers and admins only', async () => {
    await matrix(
      [
        ['anonymous', null, 401],
        ['member not going', member, 403],
        ['member going', going, 403],
        ['another event’s organiser', otherOrganiser, 403],
        ['moderator', moderator, 403],
        ['co-organiser', coOrganiser, 200],
        ['admin', admin, 200],
        ['organiser', organiser, 200],
      ],
      { method: 'POST', url: qa(slug), payload: { open: false } },
    );
    expect(
      (await call(app, organiser, { method: 'POST', url: qa('no-such-event'), payload: { open: true } })).statusCode,
    ).toBe(404);
    const bad = await call(app, organiser, { method: 'POST', url: qa(slug), payload: { open: 'yes please' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('open');
  });

  it('takes questions from members going and organisers, only while open', async () => {
    const closed = await call(app, going, { method: 'POST', url: questionsOf(slug), payload: { body: 'Too early?' } });
    expect(closed.statusCode).toBe(409);
    expect(codeOf(closed.body)).toBe('qa_closed');
    const opened = await call(app, organiser, { method: 'POST', url: qa(slug), payload: { open: true } });
    expect(opened.json()).toMatchObject({ open: true, over: false, canManage: true });

    await matrix(
      [
        ['anonymous', null, 401],
        ['member not going', member, 403],
        ['moderator not going', moderator, 403],
        ['member going', going, 201],
        ['organiser', organiser, 201],
        ['admin', admin, 201],
      ],
      { method: 'POST', url: questionsOf(slug), payload: { body: 'What did the pilot cost?' } },
    );
    const refused = await call(app, member, { method: 'POST', url: questionsOf(slug), payload: { body: 'Me too?' } });
    expect(codeOf(refused.body)).toBe('not_going');
    const blank = await call(app, going, { method: 'POST', url: questionsOf(slug), payload: { body: '   ' } });
    expect(blank.statusCode).toBe(422);
    expect(blank.json()).toMatchObject({ error: { details: [{ field: 'body', code: 'blank' }] } });
    const long = await call(app, going, { method: 'POST', url: questionsOf(slug), payload: { body: 'x'.repeat(501) } });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('body');
    expect(
      (await call(app, going, { method: 'POST', url: questionsOf('no-such-event'), payload: { body: 'Hm?' } }))
        .statusCode,
    ).toBe(404);
  });

  it('lists for everyone, sorted by votes or newest, with the caller’s votes', async () => {
    const e = (await createEvent({ capacity: 100 })).slug;
    await call(app, organiser, { method: 'POST', url: qa(e), payload: { open: true } });
    const [a, b] = await Promise.all([goingMember(app, e), goingMember(app, e)]);
    const first = await ask(a, e, 'First question');
    const second = await ask(b, e, 'Second question');
    for (const who of [a, b, member]) {
      const res = await call(app, who, { method: 'PUT', url: `/api/v1/questions/${second.id}/vote` });
      expect(res.statusCode, res.body).toBe(200);
    }
    await call(app, a, { method: 'PUT', url: `/api/v1/questions/${first.id}/vote` });
    const top = (await call(app, null, { method: 'GET', url: questionsOf(e) })).json<QuestionList>();
    expect(top.items.map((q) => [q.body, q.votes, q.myVote])).toEqual([
      ['Second question', 3, false],
      ['First question', 1, false],
    ]);
    expect(top.qa).toMatchObject({ open: true, canAsk: false, canManage: false });
    const mine = (await call(app, b, { method: 'GET', url: `${questionsOf(e)}?sort=new` })).json<QuestionList>();
    expect(mine.items.map((q) => [q.body, q.myVote])).toEqual([
      ['Second question', true],
      ['First question', false],
    ]);
    expect(mine.qa.canAsk).toBe(true);
    expect((await call(app, null, { method: 'GET', url: `${questionsOf(e)}?sort=old` })).statusCode).toBe(400);
    expect((await call(app, null, { method: 'GET', url: questionsOf('no-such-event') })).statusCode).toBe(404);
  });

  it('counts one vote per member: anyone signed in, idempotent both ways', async () => {
    const q = await ask(going, slug, 'Which vote counts?');
    const url = `/api/v1/questions/${q.id}/vote`;
    await matrix(
      [
        ['anonymous', null, 401],
        ['member not going', member, 200],
        ['member going', going, 200],
        ['member going, again', going, 200],
        ['organiser', organiser, 200],
        ['moderator', moderator, 200],
        ['admin', admin, 200],
      ],
      { method: 'PUT', url },
    );
    const after = (await call(app, member, { method: 'PUT', url })).json<Question>();
    expect(after).toMatchObject({ votes: 5, myVote: true });
    await matrix(
      [
        ['anonymous', null, 401],
        ['member', member, 200],
        ['member, again', member, 200],
      ],
      { method: 'DELETE', url },
    );
    const back = (await call(app, going, { method: 'GET', url: questionsOf(slug) })).json<QuestionList>();
    expect(back.items.find((i) => i.id === q.id)).toMatchObject({ votes: 4, myVote: true });
    expect((await call(app, member, { method: 'PUT', url: '/api/v1/questions/999999999/vote' })).statusCode).toBe(404);
    expect((await call(app, member, { method: 'PUT', url: '/api/v1/questions/abc/vote' })).statusCode).toBe(400);
  });

  it('lets organisers mark answered and pin (one at a time), and hide with moderators and admins', async () => {
    const asker = await goingMember(app, slug);
    const q1 = await ask(asker, slug, 'Pin me first');
    const q2 = await ask(asker, slug, 'Pin me next');
    for (const what of ['answered', 'pinned'] as const) {
      await matrix(
        [
          ['anonymous', null, 401],
          ['member not going', member, 403],
          ['member going', going, 403],
          ['another event’s organiser', otherOrganiser, 403],
          ['moderator', moderator, 403],
          ['admin', admin, 200],
          ['organiser', organiser, 200],
        ],
        { method: 'POST', url: `/api/v1/questions/${q1.id}/${what}`, payload: { value: true } },
      );
    }
    const pinned = await call(app, coOrganiser, {
      method: 'POST',
      url: `/api/v1/questions/${q2.id}/pinned`,
      payload: { value: true },
    });
    expect(pinned.json<Question>()).toMatchObject({ pinned: true });
    const list = (await call(app, null, { method: 'GET', url: questionsOf(slug) })).json<QuestionList>();
    expect(list.items.filter((q) => q.pinned).map((q) => q.id)).toEqual([q2.id]);
    expect(list.items.find((q) => q.id === q1.id)).toMatchObject({ answered: true, pinned: false });

    await matrix(
      [
        ['anonymous', null, 401],
        ['member going', going, 403],
        ['another event’s organiser', otherOrganiser, 403],
        ['moderator', moderator, 200],
      ],
      { method: 'POST', url: `/api/v1/questions/${q2.id}/hidden`, payload: { value: true } },
    );
    const seen = (who: Who) =>
      call(app, who, { method: 'GET', url: questionsOf(slug) }).then((r) =>
        r.json<QuestionList>().items.find((q) => q.id === q2.id),
      );
    expect(await seen(member)).toBeUndefined();
    expect(await seen(organiser)).toMatchObject({ hidden: true, pinned: false, body: 'Pin me next' });
    expect(await seen(moderator)).toMatchObject({ hidden: true });
    expect((await call(app, member, { method: 'PUT', url: `/api/v1/questions/${q2.id}/vote` })).statusCode).toBe(404);
    const cannotPin = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/questions/${q2.id}/pinned`,
      payload: { value: true },
    });
    expect(cannotPin.statusCode).toBe(422);
    const shown = await call(app, admin, {
      method: 'POST',
      url: `/api/v1/questions/${q2.id}/hidden`,
      payload: { value: false },
    });
    expect(shown.json<Question>()).toMatchObject({ hidden: false, body: 'Pin me next' });
    const noValue = await call(app, organiser, {
      method: 'POST',
      url: `/api/v1/questions/${q1.id}/answered`,
      payload: {},
    });
    expect(noValue.statusCode).toBe(400);
    expect(noValue.body).toContain('value');
  });

  it('keeps the Q&A as a read-only record once the event has ended', async () => {
    const e = (await createEvent({ capacity: 100 })).slug;
    await call(app, organiser, { method: 'POST', url: qa(e), payload: { open: true } });
    const asker = await goingMember(app, e);
    const q = await ask(asker, e, 'Answered before the end?');
    await call(app, organiser, { method: 'POST', url: `/api/v1/questions/${q.id}/answered`, payload: { value: true } });
    await call(app, member, { method: 'PUT', url: `/api/v1/questions/${q.id}/vote` });
    await moveIntoThePast(app, e);

    const record = (await call(app, null, { method: 'GET', url: questionsOf(e) })).json<QuestionList>();
    expect(record.qa).toMatchObject({ over: true, canAsk: false });
    expect(record.items).toMatchObject([{ body: 'Answered before the end?', votes: 1, answered: true }]);
    for (const [who, request] of [
      [asker, { method: 'POST', url: questionsOf(e), payload: { body: 'Late?' } }],
      [member, { method: 'PUT', url: `/api/v1/questions/${q.id}/vote` }],
      [organiser, { method: 'POST', url: qa(e), payload: { open: true } }],
    ] as const) {
      const res = await call(app, who, request);
      expect(res.statusCode, res.body).toBe(409);
      expect(codeOf(res.body)).toBe('event_over');
    }
    // The event's case links to the record (anyone may read it); an event still to come does not show.
    const records = await call(app, null, { method: 'GET', url: '/api/v1/cases/my-france-2022/event-records' });
    expect(records.json<{ items: { slug: string }[] }>().items).toEqual([
      { slug: e, title: 'Open government workshop', endsAt: expect.any(String), questionCount: 1, pollCount: 0 },
    ]);
    const none = await call(app, null, { method: 'GET', url: '/api/v1/cases/no-such-case/event-records' });
    expect(none.json()).toEqual({ items: [], nextCursor: null });
    // Closing it is still fine, and the record stays.
    expect((await call(app, organiser, { method: 'POST', url: qa(e), payload: { open: false } })).statusCode).toBe(200);
    expect((await call(app, null, { method: 'GET', url: questionsOf(e) })).json<QuestionList>().items).toHaveLength(1);
  });

  it('counts every vote once when many come at once, the same member’s included', async () => {
    const e = (await createEvent({ capacity: 100 })).slug;
    await call(app, organiser, { method: 'POST', url: qa(e), payload: { open: true } });
    const q = await ask(organiser, e, 'Concurrent?');
    const voters = await Promise.all(Array.from({ length: 24 }, () => signUp(app)));
    const url = `/api/v1/questions/${q.id}/vote`;
    const all = await Promise.all(
      [...voters, ...voters.slice(0, 8)].map((who) => call(app, who, { method: 'PUT', url })),
    );
    expect(all.map((r) => r.statusCode)).toEqual(all.map(() => 200));
    const counted = async () =>
      (await call(app, null, { method: 'GET', url: questionsOf(e) })).json<QuestionList>().items[0]?.votes;
    expect(await counted()).toBe(24);
    const rows = await app.database.kysely
      .selectFrom('question_votes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('question_id', '=', q.id)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(24);
    await Promise.all(
      [...voters.slice(0, 10), ...voters.slice(0, 10)].map((who) => call(app, who, { method: 'DELETE', url })),
    );
    expect(await counted()).toBe(14);
  });
});
