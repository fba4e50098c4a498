/** The composer's suggestions (members to mention, cases to link), built once per app: `fastify.suggestions`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createSuggestionsService, type SuggestionsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    suggestions: SuggestionsService;
  }
}

async function suggestionsPlugin(fastify: FastifyInstance) {
  fastify.decorate('suggestions', createSuggestionsService(fastify.database, fastify.clock));
}

export default fp(suggestionsPlugin, { name: 'suggestions-service', dependencies: ['database'] });
