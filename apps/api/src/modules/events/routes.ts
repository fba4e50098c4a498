import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import {
  AttendeeList,
  CheckinBody,
  CheckinResult,
  EventDetail,
  EventList,
  EventListQuery,
  EventMessage,
  EventPatch,
  MyEventList,
  MyEventsQuery,
  NewEvent,
  OrganiserInvitationList,
  RsvpBody,
  RsvpResult,
  SentEventMessageList,
} from '@opsi/contracts/events';
import { announceCheckin } from './live.ts';
import { CacheTags } from '../../platform/cache-tags.ts';

const Errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const Params = Type.Object({ slug: Slug });

const eventsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { events } = fastify;

  /** After a write: hand the activity to this node now, and send any email it queued. */
  async function settle() {
    await fastify.activities.poke();
    void fastify.jobs.poke();
  }

  fastify.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Upcoming events (soonest first) or past ones (`when=past`, latest first)',
        querystring: EventListQuery,
        response: { 200: EventList, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      fastify.publicCache.send(
        reply,
        `events:list:${JSON.stringify(request.query)}`,
        () => events.list(request.query),
        [CacheTags.events],
      ),
  );

  fastify.get(
    '/api/v1/events/:slug',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['events'],
        summary: 'One event, with your RSVP when signed in',
        description: '`onlineUrl` is given only to those going and to the organisers.',
        params: Params,
        response: { 200: EventDetail, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => events.get(request.params.slug, request.user),
  );

  fastify.post(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Create an event (organisers and admins)',
        body: NewEvent,
        response: { 201: EventDetail, ...Errors },
      },
    },
    async (request, reply) => {
      const created = await events.create(request.user, request.body);
      await settle();
      return reply.status(201).send(created);
    },
  );

  fastify.patch(
    '/api/v1/events/:slug',
    {
      schema: {
        tags: ['events'],
        summary: 'Edit an event (its organisers and admins)',
        description:
          'Raising the capacity promotes people from the waitlist in order (while the event is not over); lowering it below the number going is refused (422). A new time or place of an event still to come is emailed to attendees. Naming co-organisers invites them. A cancelled event is not edited (409, `status` named).',
        params: Params,
        body: EventPatch,
        response: { 200: EventDetail, ...Errors },
      },
    },
    async (request) => {
      const updated = await events.update(request.user, request.params.slug, request.body);
      await settle();
      return updated;
    },
  );

  fastify.post(
    '/api/v1/events/:slug/cancel',
    {
      schema: {
        tags: ['events'],
        summary: 'Cancel an event (its organisers and admins); everyone who answered is told',
        description:
          'Cancelling again changes nothing (200). An event that is over cannot be cancelled (409, `status` named). Once cancelled, an event takes no more edits, messages or check-ins (409).',
        params: Params,
        response: { 200: EventDetail, ...Errors },
      },
    },
    async (request) => {
      const cancelled = await events.cancel(request.user, request.params.slug);
      await settle();
      return cancelled;
    },
  );

  fastify.get(
    '/api/v1/me/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The events you answered, with your status, waitlist position and ticket',
        description:
          '`when=upcoming` (the default): not over yet, soonest first; `when=past`: over, latest first. Every answer is listed (going, waitlisted, interested, declined); the ticket code only while going.',
        querystring: MyEventsQuery,
        response: { 200: MyEventList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const list = await events.myEvents(request.user, request.query);
      return reply.header('cache-control', 'private, no-store').send(list);
    },
  );

  fastify.get(
    '/api/v1/me/organiser-invitations',
    {
      schema: {
        tags: ['events'],
        summary: 'Your invitations to co-organise events, waiting for your answer (events not over yet)',
        response: { 200: OrganiserInvitationList, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const list = await events.organiserInvitations(request.user);
      return reply.header('cache-control', 'private, no-store').send(list);
    },
  );

  for (const answer of ['accept', 'decline'] as const) {
    fastify.post(
      `/api/v1/events/:slug/organiser-invitations/${answer}`,
      {
        schema: {
          tags: ['events'],
          summary:
            answer === 'accept'
              ? 'Accept your invitation to co-organise this event: you organise it from now on'
              : 'Decline your invitation to co-organise this event (its organisers cannot ask again)',
          description:
            answer === 'accept'
              ? 'Needs the organiser or admin role (403 otherwise); 404 when no invitation is waiting for you.'
              : '404 when no invitation is waiting for you.',
          params: Params,
          response: { 200: EventDetail, ...Errors },
        },
      },
      async (request) => events.answerInvitation(request.user, request.params.slug, answer),
    );
  }

  fastify.put(
    '/api/v1/events/:slug/rsvp',
    {
      schema: {
        tags: ['events'],
        summary: 'Answer: going, interested or declined',
        description:
          '`going` when the event is full puts you on the waitlist (`waitlisted`, with your position); the waitlist is first come, first served. Leaving `going` frees your seat for the head of the waitlist.',
        params: Params,
        body: RsvpBody,
        response: { 200: RsvpResult, ...Errors },
      },
    },
    async (request) => {
      const result = await events.rsvp(request.user, request.params.slug, request.body);
      await settle();
      return result;
    },
  );

  fastify.delete(
    '/api/v1/events/:slug/rsvp',
    {
      schema: {
        tags: ['events'],
        summary: 'Withdraw your RSVP (frees your seat for the head of the waitlist)',
        params: Params,
        response: { 204: Type.Null(), ...Errors },
      },
    },
    async (request, reply) => {
      await events.rsvp(request.user, request.params.slug, { status: 'remove' });
      await settle();
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/v1/events/:slug/attendees',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['events'],
        summary: 'Attendees: everyone with status for organisers; those going who chose to be listed for others',
        params: Params,
        response: { 200: AttendeeList, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => events.attendees(request.user, request.params.slug),
  );

  fastify.get(
    '/api/v1/events/:slug/attendees.csv',
    {
      schema: {
        tags: ['events'],
        summary: 'Attendee list as CSV (organisers)',
        params: Params,
        response: {
          200: { description: 'The attendees as CSV', content: { 'text/csv': { schema: Type.String() } } },
          ...Errors,
        },
      },
    },
    async (request, reply) => {
      const { filename, csv } = await events.attendeesCsv(request.user, request.params.slug);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  fastify.post(
    '/api/v1/events/:slug/checkins',
    {
      schema: {
        tags: ['events'],
        summary: 'Check an attendee in by ticket code or handle (organisers)',
        description: 'Refused for a cancelled event (409, `status` named).',
        params: Params,
        body: CheckinBody,
        response: { 200: CheckinResult, ...Errors },
      },
    },
    async (request) => {
      const result = await events.checkIn(request.user, request.params.slug, request.body);
      if (!result.alreadyCheckedIn) {
        announceCheckin(fastify, {
          eventSlug: request.params.slug,
          handle: result.attendee.handle,
          displayName: result.attendee.displayName,
          checkedInAt: result.checkedInAt,
          checkedInCount: result.checkedInCount,
          goingCount: result.goingCount,
        });
      }
      return result;
    },
  );

  fastify.post(
    '/api/v1/events/:slug/messages',
    {
      schema: {
        tags: ['events'],
        summary: 'Email a message to everyone going (organisers)',
        description: 'Refused for a cancelled event (409, `status` named).',
        params: Params,
        body: EventMessage,
        response: { 202: Type.Object({ recipients: Type.Integer({ minimum: 0 }) }), ...Errors },
      },
    },
    async (request, reply) => {
      const sent = await events.message(request.user, request.params.slug, request.body);
      void fastify.jobs.poke();
      return reply.status(202).send(sent);
    },
  );

  fastify.get(
    '/api/v1/events/:slug/messages',
    {
      schema: {
        tags: ['events'],
        summary: 'The messages sent to those going, newest first (organisers)',
        description: 'The latest 100, with who sent each and to how many members.',
        params: Params,
        response: { 200: SentEventMessageList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const list = await events.sentMessages(request.user, request.params.slug);
      return reply.header('cache-control', 'private, no-store').send(list);
    },
  );
};

export default eventsRoutes;
