/**
 * The session store the session plugin runs on (plugins/session.ts declares what it needs): the
 * sessions table, which belongs to accounts with the members it joins. Registered before the
 * session plugin, as `fastify.sessionStore`, so the plugin knows no feature module.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@opsi/contracts/accounts';
import type { Database } from '@opsi/db/database';
import type { SessionStore, StoredSession } from '../../plugins/session.ts';
import * as repo from './repository.ts';

export function createSessionStore(database: Database): SessionStore {
  const db = database.kysely;
  return {
    async find(ids) {
      const found = new Map<string, StoredSession>();
      for (const [id, { session, user: u }] of await repo.findSessions(db, ids)) {
        found.set(id, {
          session,
          user: { id: u.id, handle: u.handle, displayName: u.displayName, role: u.role as Role, email: u.email },
        });
      }
      return found;
    },
    insert: (session) => repo.insertSession(db, session),
    async delete(id) {
      await repo.deleteSession(db, id);
    },
    touch: (id, lastUsedAt, expiresAt) => repo.touchSession(db, id, lastUsedAt, expiresAt),
    deleteExpired: (now) => repo.deleteExpiredSessions(db, now),
  };
}

async function sessionStorePlugin(fastify: FastifyInstance) {
  fastify.decorate('sessionStore', createSessionStore(fastify.database));
}

export default fp(sessionStorePlugin, { name: 'session-store', dependencies: ['database'] });
