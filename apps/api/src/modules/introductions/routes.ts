import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@opsi/contracts/common';
import {
  Introduction,
  IntroductionBody,
  IntroductionList,
  IntroductionParams,
  IntroductionQuery,
  MatchList,
  MatchQuery,
} from '@opsi/contracts/introductions';
import { requireUser } from '../../plugins/session.ts';

const introductionsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { introductions } = fastify;
  const poke = () => {
    void fastify.activities.poke();
    void fastify.jobs.poke();
  };

  fastify.get(
    '/api/v1/me/matches',
    {
      schema: {
        tags: ['people'],
        summary: 'Members in other countries working on similar problems, closest first',
        description:
          'Ranked by what you share: themes followed or in both profiles, cases followed, case threads both posted ' +
          'in, events both went to, and the words of your profile and posts in theirs. Only members who opted in ' +
          '(`openToIntroductions`) are offered, and only to a member who opted in (`openToIntroductions: false` and ' +
          'no items otherwise); never a member you blocked or who blocked you, a suspended or deleted account, or ' +
          'someone in your country.',
        querystring: MatchQuery,
        response: { 200: MatchList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      reply.header('cache-control', 'no-store');
      return introductions.matches(user.id, request.query.limit ?? 10, request.query.lang === 'fr');
    },
  );

  fastify.get(
    '/api/v1/me/introductions',
    {
      schema: {
        tags: ['people'],
        summary: 'Your introductions, sent and received, newest first',
        description: 'The other member’s address is given once an introduction is accepted.',
        querystring: IntroductionQuery,
        response: { 200: IntroductionList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return introductions.list(requireUser(request), request.query);
    },
  );

  fastify.post(
    '/api/v1/introductions',
    {
      schema: {
        tags: ['people'],
        summary: 'Ask to be introduced to a member',
        description:
          'The member is notified. 422 `not_open_to_introductions` when you (field `openToIntroductions`) or they ' +
          '(field `handle`) did not opt in, `cannot_introduce_self`, `limit_reached` with too many requests waiting ' +
          '(INTRODUCTIONS_PENDING_MAX); 403 `blocked` when either blocked the other; 404 for an unknown, deleted or ' +
          'suspended member; 409 `introduction_declined` (a declined request is not asked again) or `already_asked`.',
        body: IntroductionBody,
        response: {
          201: Introduction,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const created = await introductions.ask(requireUser(request), request.body);
      poke();
      return reply.code(201).send(created);
    },
  );

  for (const decision of ['accept', 'decline'] as const) {
    fastify.post(
      `/api/v1/introductions/:id/${decision}`,
      {
        schema: {
          tags: ['people'],
          summary: decision === 'accept' ? 'Accept an introduction you were asked for' : 'Decline an introduction',
          description:
            (decision === 'accept'
              ? 'Both of you then get an email introducing each other, with your addresses and what you share. '
              : 'It cannot be asked again. ') +
            'Only the member asked: 403 for the one who asked, 404 for anyone else; 409 once decided.',
          params: IntroductionParams,
          response: {
            200: Introduction,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const user = requireUser(request);
        const result =
          decision === 'accept'
            ? await introductions.accept(user, request.params.id)
            : await introductions.decline(user, request.params.id);
        poke();
        return result;
      },
    );
  }
};

export default introductionsRoutes;
