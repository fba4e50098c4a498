/** The accounts service, built once per app with the configured sign-in limits and the app's clock: `fastify.accounts`. */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAccountsService, type AccountsService } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountsService;
  }
}

async function accountsPlugin(fastify: FastifyInstance) {
  fastify.decorate(
    'accounts',
    createAccountsService(fastify.database, {
      // Never lifted by ABUSE_LIMITS=off.
      signIn: {
        perAddress: fastify.config.signInFailuresPerAddress,
        perAccount: fastify.config.signInFailuresPerAccount,
      },
      now: fastify.clock,
    }),
  );
}

export default fp(accountsPlugin, { name: 'accounts-service', dependencies: ['database'] });
