/**
 * Calendars: one event as an .ics file, a member's private feed of the events they are going to
 * (a secret, revocable URL for calendar apps to subscribe to), and "add to calendar" links.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, Slug } from '@opsi/contracts/common';
import { CalendarFeedStatus, CalendarFeedUrl, CalendarLinks } from '@opsi/contracts/calendar';
import { AppError } from '../../../platform/errors.ts';
import { calendarEvent, calendarLinks, renderCalendar } from './ics.ts';
import { CacheTags } from '../../../platform/cache-tags.ts';

const Params = Type.Object({ slug: Slug });
const Ics = {
  description: 'An iCalendar file (RFC 5545)',
  content: { 'text/calendar': { schema: Type.String() } },
};
const TEXT_CALENDAR = 'text/calendar; charset=utf-8';

const calendarRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { publicOrigin } = fastify.config;
  const { events } = fastify;

  fastify.get(
    '/api/v1/events/:slug/calendar.ics',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['events'],
        summary: 'The event as an iCalendar file, to add to any calendar app',
        description:
          'Public. The online link is included only for those going and the organisers (signed in); such a response is `Cache-Control: private, no-store`.',
        params: Params,
        response: { 200: Ics, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const row = await events.load(request.params.slug);
      const shown = await events.detail(row, request.user);
      const ics = renderCalendar([calendarEvent(row, shown)], { publicOrigin, now: fastify.clock() });
      return reply
        .header('content-type', TEXT_CALENDAR)
        .header('content-disposition', `attachment; filename="${row.slug}.ics"`)
        .header('cache-control', request.user ? 'private, no-store' : 'public, max-age=300')
        .header('vary', 'Cookie')
        .send(ics);
    },
  );

  fastify.get(
    '/api/v1/events/:slug/calendar-links',
    {
      schema: {
        tags: ['events'],
        summary: '“Add to calendar” links: Google Calendar, Outlook and the .ics file',
        description: 'Public; the links never carry the online link.',
        params: Params,
        response: { 200: CalendarLinks, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) =>
      fastify.publicCache.send(
        reply,
        `events:calendar-links:${request.params.slug}`,
        async () => {
          const row = await events.load(request.params.slug);
          return {
            ...calendarLinks(row, publicOrigin),
            ics: `${publicOrigin}/api/v1/events/${row.slug}/calendar.ics`,
          };
        },
        [CacheTags.event(request.params.slug), CacheTags.events],
      ),
  );

  fastify.get(
    '/api/v1/calendar/:token.ics',
    {
      schema: {
        tags: ['events'],
        summary: 'A member’s private calendar feed: the events they are going to',
        description:
          'The URL comes from `POST /api/v1/me/calendar-token` and needs no sign-in: it is secret. 404 once replaced or revoked. Lists events going back 90 days, with their online links.',
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        response: { 200: Ics, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const userId = await events.calendarOwner(request.params.token);
      const rows = await events.eventsOf(userId);
      const viewer = { id: userId, role: 'member' as const };
      const items = await Promise.all(rows.map(async (row) => calendarEvent(row, await events.detail(row, viewer))));
      const ics = renderCalendar(items, {
        publicOrigin,
        now: fastify.clock(),
        name: 'OPSI Network: my events',
        refreshInterval: 'PT1H',
      });
      return reply
        .header('content-type', TEXT_CALENDAR)
        .header('content-disposition', 'inline; filename="opsi-events.ics"')
        .header('cache-control', 'private, no-store')
        .header('x-robots-tag', 'noindex')
        .send(ics);
    },
  );

  fastify.get(
    '/api/v1/me/calendar-token',
    {
      schema: {
        tags: ['events'],
        summary: 'Whether you have a calendar feed URL',
        response: { 200: CalendarFeedStatus, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      if (!request.user) throw new AppError('unauthorized', 'Sign in to manage your calendar feed');
      const active = await events.hasCalendarToken(request.user.id);
      return reply.header('cache-control', 'private, no-store').send({ active });
    },
  );

  fastify.post(
    '/api/v1/me/calendar-token',
    {
      schema: {
        tags: ['events'],
        summary: 'A new private calendar feed URL (any previous one stops working)',
        response: { 200: CalendarFeedUrl, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const created = await events.newCalendarToken(request.user);
      return reply.header('cache-control', 'no-store').send(created);
    },
  );

  fastify.delete(
    '/api/v1/me/calendar-token',
    {
      schema: {
        tags: ['events'],
        summary: 'Revoke your calendar feed URL',
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      await events.revokeCalendarToken(request.user);
      return reply.status(204).send(null);
    },
  );
};

export default calendarRoutes;
