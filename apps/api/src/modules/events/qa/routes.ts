/** The live layer of an event over HTTP (API.md "Event live layer"): Q&A and polls. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import {
  EventRecordList,
  MarkBody,
  NewPoll,
  NewQuestion,
  Poll,
  PollList,
  PollVoteBody,
  QaBody,
  QaState,
  Question,
  QuestionList,
  QuestionListQuery,
  QuestionParams,
} from '@opsi/contracts/live';

const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const Limited = { ...Errors, 429: ErrorBody };
const EventParams = Type.Object({ slug: Slug });
const PRIVATE = 'private, no-store';

const VOTE_LIMIT =
  'Per member: at most LIVE_VOTES_PER_MINUTE votes given or taken back a minute, questions and polls together (429 `rate_limited` with Retry-After, `limit` = `live_votes_per_minute`).';

const liveRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { live } = fastify;

  fastify.get(
    '/api/v1/events/:slug/questions',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['live'],
        summary: 'An event’s Q&A: its questions (`sort=top`, by votes, or `new`) and its state',
        description:
          'Anyone reads it; hidden questions are listed only to the event’s organisers, moderators and admins. `myVote` says whether the caller voted. The whole Q&A comes at once (`nextCursor` is null).',
        params: EventParams,
        querystring: QuestionListQuery,
        response: { 200: QuestionList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const list = await live.questions(request.user, request.params.slug, request.query.sort ?? 'top');
      return reply.header('cache-control', PRIVATE).send(list);
    },
  );

  fastify.post(
    '/api/v1/events/:slug/questions',
    {
      schema: {
        tags: ['live'],
        summary: 'Ask a question (members going, and organisers) while Q&A is open',
        description:
          '403 for members not going (`not_going`); 409 while Q&A is closed (`qa_closed`), once the event has ended (`event_over`) or when it was cancelled. Per member: at most QUESTIONS_PER_MINUTE questions a minute (429 `rate_limited`, `limit` = `questions_per_minute`).',
        params: EventParams,
        body: NewQuestion,
        response: { 201: Question, ...Limited },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await live.ask(request.user, request.params.slug, request.body.body)),
  );

  fastify.post(
    '/api/v1/events/:slug/qa',
    {
      schema: {
        tags: ['live'],
        summary: 'Open or close the event’s Q&A (its organisers and admins)',
        description: 'Idempotent. An event that has ended cannot open Q&A again (409 `event_over`).',
        params: EventParams,
        body: QaBody,
        response: { 200: QaState, ...Errors },
      },
    },
    async (request) => live.setQa(request.user, request.params.slug, request.body.open),
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    fastify.route({
      method,
      url: '/api/v1/questions/:id/vote',
      schema: {
        tags: ['live'],
        summary: method === 'PUT' ? 'Vote for a question (one vote per member)' : 'Take back your vote',
        description: `Idempotent: a second vote (or taking back none) changes nothing. Any signed-in member, while Q&A is open (409 \`qa_closed\`, \`event_over\`). ${VOTE_LIMIT}`,
        params: QuestionParams,
        response: { 200: Question, ...Limited },
      },
      handler: async (request) => live.vote(request.user, request.params.id, method === 'PUT'),
    });
  }

  for (const what of ['answered', 'hidden', 'pinned'] as const) {
    fastify.post(
      `/api/v1/questions/:id/${what}`,
      {
        schema: {
          tags: ['live'],
          summary:
            what === 'hidden'
              ? 'Hide or show a question (its event’s organisers, moderators and admins)'
              : `Mark a question ${what} or not (its event’s organisers and admins)`,
          description:
            '`{value: true}` sets the mark, `{value: false}` clears it; setting it again changes nothing.' +
            (what === 'pinned'
              ? ' One question is pinned at a time: pinning one unpins the other. A hidden question cannot be pinned (422).'
              : '') +
            (what === 'hidden' ? ' Hiding unpins. A hidden question is listed only to those who may hide it.' : ''),
          params: QuestionParams,
          body: MarkBody,
          response: { 200: Question, ...Errors },
        },
      },
      async (request) => live.mark(request.user, request.params.id, what, request.body.value),
    );
  }

  fastify.get(
    '/api/v1/cases/:slug/event-records',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['live'],
        summary: 'The events about a case that ended with a Q&A or polls, the latest first (links to their record)',
        description: 'An unknown case has none (an empty list).',
        params: EventParams,
        response: { 200: EventRecordList, 400: ErrorBody },
      },
    },
    async (request) => live.recordsOfCase(request.params.slug),
  );

  fastify.get(
    '/api/v1/events/:slug/polls',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['live'],
        summary: 'An event’s polls, the latest first, with their counts (and your choices)',
        params: EventParams,
        response: { 200: PollList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', PRIVATE).send(await live.polls(request.user, request.params.slug)),
  );

  fastify.post(
    '/api/v1/events/:slug/polls',
    {
      schema: {
        tags: ['live'],
        summary: 'Launch a poll (its organisers and admins)',
        description:
          '2 to 10 different options; `multiple` lets voters choose several. Not once the event has ended (409).',
        params: EventParams,
        body: NewPoll,
        response: { 201: Poll, ...Errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await live.createPoll(request.user, request.params.slug, request.body)),
  );

  fastify.put(
    '/api/v1/polls/:id/vote',
    {
      schema: {
        tags: ['live'],
        summary: 'Vote in an open poll: `{options: [index]}` (exactly one for a single-choice poll)',
        description: `Any signed-in member. A new vote replaces the member’s previous one. 422 for an unknown option or the wrong number of them; 409 once the poll is closed (\`poll_closed\`) or the event has ended. ${VOTE_LIMIT}`,
        params: QuestionParams,
        body: PollVoteBody,
        response: { 200: Poll, ...Limited },
      },
    },
    async (request) => live.votePoll(request.user, request.params.id, request.body.options),
  );

  fastify.post(
    '/api/v1/polls/:id/close',
    {
      schema: {
        tags: ['live'],
        summary: 'Close a poll (its event’s organisers and admins); closing again changes nothing',
        params: QuestionParams,
        response: { 200: Poll, ...Errors },
      },
    },
    async (request) => live.closePoll(request.user, request.params.id),
  );
};

export default liveRoutes;
