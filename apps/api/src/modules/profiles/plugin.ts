/** The profiles service, built once per app: `fastify.profiles`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createProfilesService, type ProfilesService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    profiles: ProfilesService;
  }
}

async function profilesPlugin(fastify: FastifyInstance) {
  fastify.decorate('profiles', createProfilesService(fastify.database));
}

export default fp(profilesPlugin, { name: 'profiles-service', dependencies: ['database'] });
