/**
 * The moderators' live queue: sockets of moderators and admins watch `moderation:reports`
 * (`moderation:watch` with slug `reports`; 401/403 acknowledgements for others) and hear
 * `report:created` for every new report, on every node (the route emits through the adapter). Slug
 * `cases` is the queue of proposed cases (proposals/live.ts: `case:proposed`).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const REPORTS_ROOM = 'moderation:reports';

async function liveModerationPlugin(fastify: FastifyInstance) {
  fastify.realtime.rooms.register(
    'moderation',
    (slug) => Promise.resolve(slug === 'reports' || slug === 'cases'),
    (user) => (!user ? 'unauthorized' : user.role === 'moderator' || user.role === 'admin' ? null : 'forbidden'),
  );
}

export default fp(liveModerationPlugin, { name: 'live-moderation', dependencies: ['realtime'] });
