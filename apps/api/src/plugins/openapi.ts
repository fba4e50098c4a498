/** OpenAPI 3 generated from the routes' TypeBox schemas, at /api/docs/json, with a browsable UI at /api/docs. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

async function openapiPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Public Sector Innovators Network API',
        description:
          'The public API of the community network for public-sector innovators: cases, discussions, events, ' +
          'follows. Errors are `{error:{code,message,details?}}`; lists are `{items,nextCursor}`.',
        version: '1.0.0',
      },
      servers: [{ url: config.publicOrigin }],
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'reference', description: 'Countries and themes' },
        { name: 'cases', description: 'Innovation case studies' },
        { name: 'discussions', description: 'One live thread per case; search across cases and posts' },
        { name: 'follows', description: 'Follow countries, themes, cases, events and people; your feed' },
        { name: 'notifications', description: 'Your notifications and how you want them' },
        { name: 'events', description: 'Events, RSVPs with capacity and a waitlist, tickets, check-in, calendars' },
        { name: 'realtime', description: 'WebSocket stream (Socket.IO is at /socket.io/)' },
      ],
    },
    hideUntagged: true,
  });
  await fastify.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
  });
}

export default fp(openapiPlugin, { name: 'openapi' });
