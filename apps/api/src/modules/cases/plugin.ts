/** The cases service, built once per app: `fastify.cases`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createCasesService, type CasesService } from './service.ts';
import { createCaseTranslations, type CaseTranslationsService } from './translations/service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cases: CasesService;
    caseTranslations: CaseTranslationsService;
  }
}

async function casesPlugin(fastify: FastifyInstance) {
  fastify.decorate('cases', createCasesService(fastify.database));
  fastify.decorate('caseTranslations', createCaseTranslations(fastify.database));
}

export default fp(casesPlugin, { name: 'cases-service', dependencies: ['database'] });
