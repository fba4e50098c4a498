import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Country, Theme } from '@opsi/contracts/reference';
import { listCountries, listThemes } from './service.ts';

/** Reference data changes only with a release: clients may cache it for an hour. */
const CACHE = 'public, max-age=3600';

const referenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const db = fastify.database.kysely;

  fastify.get(
    '/api/v1/countries',
    {
      schema: {
        tags: ['reference'],
        summary: 'All ISO 3166-1 countries, with English and French names',
        response: { 200: Type.Array(Country) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', CACHE);
      return listCountries(db);
    },
  );

  fastify.get(
    '/api/v1/themes',
    {
      schema: {
        tags: ['reference'],
        summary: 'The themes cases, people and events are filed under',
        response: { 200: Type.Array(Theme) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', CACHE);
      return listThemes(db);
    },
  );
};

export default referenceRoutes;
