/**
 * Demo data (SEED_DEMO), added on the first start only: the demo cases, then the demo members, their
 * discussions and the upcoming events, each by the module that owns it, in that order (posts need
 * the members and cases, events their organisers and cases, the conference's Q&A and poll its
 * members going). Registered after the modules.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { seedDemoCases } from '@opsi/db/seed';
import { seedDemoMembers } from './modules/profiles/service.ts';
import { seedDemoDiscussions } from './modules/discussions/seed.ts';
import { seedDemoEvents } from './modules/events/service.ts';
import { seedDemoLive } from './modules/events/qa/seed.ts';

async function demoPlugin(fastify: FastifyInstance) {
  if (!fastify.config.seedDemo) return;
  // Demo members arrive with the demo cases: into an empty database, by one node.
  const demoCases = await seedDemoCases(fastify.database.kysely);
  if (demoCases === 0) return;
  const demoMembers = await seedDemoMembers(fastify.database);
  const demoPosts = await seedDemoDiscussions(fastify.database);
  const demoEvents = await seedDemoEvents(fastify.database, fastify.events, fastify.clock());
  const demoQuestions = await seedDemoLive(fastify.database, fastify.live);
  fastify.log.info({ demoCases, demoMembers, demoPosts, demoEvents, demoQuestions }, 'demo data added');
}

export default fp(demoPlugin, { name: 'demo', dependencies: ['database', 'events-service', 'live-service'] });
