/** The notifications service (lists, read marks, preferences), built once per app: `fastify.notifications`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createNotificationsService, type NotificationsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationsService;
  }
}

async function notificationsPlugin(fastify: FastifyInstance) {
  fastify.decorate('notifications', createNotificationsService(fastify.database));
}

export default fp(notificationsPlugin, { name: 'notifications-service', dependencies: ['database'] });
