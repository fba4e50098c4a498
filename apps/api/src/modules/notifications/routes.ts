import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import {
  MarkRead,
  NotificationList,
  NotificationPrefs,
  NotificationPrefsPatch,
  NotificationQuery,
} from '@opsi/contracts/follows';

const notificationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { notifications } = fastify;

  fastify.get(
    '/api/v1/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, most recently active first (grouped while unread)',
        querystring: NotificationQuery,
        response: { 200: NotificationList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => notifications.list(request.user, request.query),
  );

  fastify.post(
    '/api/v1/me/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark some (`ids`) or all (`all: true`) as read',
        body: MarkRead,
        response: {
          200: Type.Object({ unreadCount: Type.Integer({ minimum: 0 }) }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const result = await notifications.markRead(request.user, request.body);
      if (request.user)
        fastify.io.to(`user:${request.user.id}`).emit('notifications:unread', { count: result.unreadCount });
      return result;
    },
  );

  fastify.get(
    '/api/v1/me/notification-prefs',
    {
      schema: {
        tags: ['notifications'],
        summary:
          'How you are told about each kind (in the app, by email now, in the digest, or not) and the digest frequency',
        response: { 200: NotificationPrefs, 401: ErrorBody },
      },
    },
    async (request) => notifications.prefs(request.user),
  );

  fastify.patch(
    '/api/v1/me/notification-prefs',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Change how you are told',
        body: NotificationPrefsPatch,
        response: { 200: NotificationPrefs, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => notifications.setPrefs(request.user, request.body),
  );
};

export default notificationsRoutes;
