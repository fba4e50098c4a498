/** The cases service, built once per app: `fastify.cases`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createCasesService, type CasesService } from './service.ts';
import { createAuthoringService, type AuthoringService } from './authoring/service.ts';
import oldSlugs from './authoring/old-slugs.ts';
import { createCaseTranslations, type CaseTranslationsService } from './translations/service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cases: CasesService;
    /** Editing cases: PATCH, revisions, old slugs (authoring/). */
    caseAuthoring: AuthoringService;
    caseTranslations: CaseTranslationsService;
  }
}

async function casesPlugin(fastify: FastifyInstance) {
  const cases = createCasesService(fastify.database);
  fastify.decorate('cases', cases);
  fastify.decorate(
    'caseAuthoring',
    createAuthoringService(fastify.database, (slug) => cases.get(slug)),
  );
  await fastify.register(oldSlugs);
  fastify.decorate('caseTranslations', createCaseTranslations(fastify.database));
}

export default fp(casesPlugin, { name: 'cases-service', dependencies: ['database'] });
