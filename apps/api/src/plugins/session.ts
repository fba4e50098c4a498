/**
 * Sessions as Lucia teaches them: a random token (160 bits) in an HttpOnly cookie, only its
 * SHA-256 stored; 30 days idle expiry renewed on use (at most one write an hour), 90 days absolute
 * lifetime; revocation that also closes the session's live sockets on every node.
 *
 * Each node keeps the sessions it has read, with their members, in memory for MEMBER_CACHE_SECONDS
 * (platform/keyed-cache.ts), so a signed-in request sends no SQL. Every change to a session or to
 * who its member is (sign-out, revocation, suspension, role, name, email, deletion), by whoever
 * makes it, drops it on every node: database triggers announce those rows' changes on the
 * invalidation bus (plugins/invalidations.ts), and the node that made the change drops it at once
 * (`revoked`, `userChanged`). A session that looks expired in memory is read again before it is
 * refused.
 */
import { hash } from 'node:crypto';
import cookie from '@fastify/cookie';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role, User } from '@opsi/contracts/accounts';
import type { Config } from '../config.ts';
import { AppError } from '../platform/errors.ts';
import { createKeyedCache } from '../platform/keyed-cache.ts';
import { ALL } from '../platform/invalidations/bus.ts';

export const IDLE_MS = 30 * 24 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 90 * 24 * 60 * 60 * 1000;
export const RENEW_AFTER_MS = 60 * 60 * 1000;

export function newSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

const TOKEN = /^[a-z2-7]{32}$/;

export function sessionIdOf(token: string): string {
  // Node's own one-shot SHA-256 (native, no Hash object; @oslojs/crypto's, in JavaScript, gives the same digest, see
  // session.test.ts) on every signed-in request.
  return hash('sha256', token, 'hex');
}

export interface SessionUser extends User {
  email: string;
}

/** A stored session, with the member it belongs to as they are now. */
export interface StoredSession {
  session: { expiresAt: Date; absoluteExpiresAt: Date; lastUsedAt: Date };
  user: SessionUser;
}

export interface NewSession {
  /** The SHA-256 of the token (sessionIdOf), never the token. */
  id: string;
  userId: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  userAgent: string;
  ip: string;
}

/**
 * Where sessions are kept. The accounts module, which owns members and their sessions, provides it
 * (modules/accounts/session-store.ts, registered before this plugin as `fastify.sessionStore`).
 */
export interface SessionStore {
  /** Several sessions with their members, in one statement. */
  find(ids: string[]): Promise<Map<string, StoredSession>>;
  insert(session: NewSession): Promise<void>;
  delete(id: string): Promise<void>;
  touch(id: string, lastUsedAt: Date, expiresAt: Date): Promise<void>;
  /** Deletes the sessions past either expiry; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

export interface Sessions {
  cookieName: string;
  /** Starts a new session for the user (always a new token) and sets the cookie. */
  start(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void>;
  /** Ends the request's session, server-side, and clears the cookie. */
  end(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Revokes sessions by id and disconnects their sockets everywhere. */
  revoked(ids: string[]): void;
  /**
   * Who a member is changed (role, name, email): this node forgets their sessions now, so their
   * next request reads them again (the other nodes hear it from the database).
   */
  userChanged(userId: string): void;
  /**
   * The member whose session a Cookie header holds, only when this node holds that session in
   * memory, valid and not due for renewal (what the onRequest hook does without waiting); undefined
   * otherwise. For requests answered outside Fastify's hooks (the front).
   */
  peek(cookieHeader: string): SessionUser | undefined;
  /** Checks a token (cookie value) without renewing it: for socket handshakes. */
  validate(token: string): Promise<{ sessionId: string; user: SessionUser } | null>;
  onRevoke(listener: (sessionIds: string[]) => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions;
    sessionStore: SessionStore;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    sessionId: string | null;
  }
}

async function sessionPlugin(fastify: FastifyInstance, { config }: { config: Config }) {
  const store = fastify.sessionStore;
  const secure = config.publicOrigin.startsWith('https:');
  const cookieName = secure ? '__Host-session' : 'session';
  const revokeListeners: ((ids: string[]) => void)[] = [];

  await fastify.register(cookie);
  fastify.decorateRequest('user', null);
  fastify.decorateRequest('sessionId', null);

  const cookieOptions = (expires: Date) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    expires,
  });

  function clearCookie(reply: FastifyReply) {
    reply.clearCookie(cookieName, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  }

  /**
   * Session lookups that miss the memory and arrive together (a rush of signed-in requests after
   * a start) share one statement: each waits at most until the current turn of the event loop
   * ends.
   */
  const LOOKUP_BATCH = 500;
  let waiting = new Map<string, { resolve: (r: StoredSession | undefined) => void; reject: (e: unknown) => void }[]>();
  let flushing = false;
  function findSession(id: string): Promise<StoredSession | undefined> {
    return new Promise((resolve, reject) => {
      const list = waiting.get(id);
      if (list) list.push({ resolve, reject });
      else waiting.set(id, [{ resolve, reject }]);
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flushLookups());
      }
    });
  }
  async function flushLookups() {
    const batch = waiting;
    waiting = new Map();
    flushing = false;
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
      const chunk = ids.slice(i, i + LOOKUP_BATCH);
      try {
        const found = await store.find(chunk);
        for (const id of chunk) for (const w of batch.get(id)!) w.resolve(found.get(id));
      } catch (error) {
        for (const id of chunk) for (const w of batch.get(id)!) w.reject(error);
      }
    }
  }

  const cache = createKeyedCache<StoredSession>({
    ttlMs: config.memberCacheSeconds * 1000,
    maxEntries: config.memberCacheEntries,
  });
  const bus = fastify.invalidations;
  bus.on('session', (id) => (id === ALL ? cache.clear() : cache.delete(id)));
  bus.on('user', (userId) =>
    userId === ALL ? cache.clear() : cache.deleteWhere((_, found) => found.user.id === userId),
  );

  const expired = (found: StoredSession, now: number) =>
    found.session.expiresAt.getTime() <= now || found.session.absoluteExpiresAt.getTime() <= now;
  const renewalDue = (found: StoredSession, now: number) => now - found.session.lastUsedAt.getTime() >= RENEW_AFTER_MS;

  interface Found {
    sessionId: string;
    user: SessionUser;
    expiresAt: Date;
    renewed: boolean;
  }

  /**
   * The common case without waiting: a valid token whose session this node holds, neither expired
   * nor due for renewal. `null` for a token that cannot be one; undefined when it takes a lookup.
   */
  function lookupInMemory(token: string): Found | null | undefined {
    if (!TOKEN.test(token)) return null;
    const id = sessionIdOf(token);
    const found = cache.get(id);
    if (!found) return undefined;
    const now = fastify.clock().getTime();
    if (expired(found, now) || renewalDue(found, now)) return undefined;
    return { sessionId: id, user: found.user, expiresAt: found.session.expiresAt, renewed: false };
  }

  async function lookup(token: string, renew: boolean): Promise<Found | null> {
    if (!TOKEN.test(token)) return null;
    const id = sessionIdOf(token);
    const now = fastify.clock().getTime();
    let found = cache.get(id);
    // Expired as this node remembers it: another node may have renewed it since.
    if (found && expired(found, now)) {
      cache.delete(id);
      found = undefined;
    }
    found ??= await cache.load(id, () => findSession(id));
    if (!found) return null;
    const { session } = found;
    if (expired(found, now)) {
      cache.delete(id);
      await store.delete(id);
      return null;
    }
    let expiresAt = session.expiresAt;
    if (renew && renewalDue(found, now)) {
      expiresAt = new Date(Math.min(now + IDLE_MS, session.absoluteExpiresAt.getTime()));
      await store.touch(id, new Date(now), expiresAt);
      cache.update(id, { ...found, session: { ...session, lastUsedAt: new Date(now), expiresAt } });
    }
    return { sessionId: id, user: found.user, expiresAt, renewed: expiresAt !== session.expiresAt };
  }

  function signedIn(request: FastifyRequest, reply: FastifyReply, token: string, found: Found | null) {
    if (!found) {
      clearCookie(reply);
      return;
    }
    request.user = found.user;
    request.sessionId = found.sessionId;
    if (found.renewed) reply.setCookie(cookieName, token, cookieOptions(found.expiresAt));
  }

  // Callback style: a session held in memory costs no promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    const token = request.cookies[cookieName];
    if (!token) return done();
    const known = lookupInMemory(token);
    if (known !== undefined) {
      signedIn(request, reply, token, known);
      return done();
    }
    lookup(token, true).then(
      (found) => {
        signedIn(request, reply, token, found);
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });

  const sessions: Sessions = {
    cookieName,
    async start(request, reply, userId) {
      const token = newSessionToken();
      const now = fastify.clock().getTime();
      const expiresAt = new Date(now + IDLE_MS);
      await store.insert({
        id: sessionIdOf(token),
        userId,
        expiresAt,
        absoluteExpiresAt: new Date(now + ABSOLUTE_MS),
        userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300),
        ip: request.ip,
      });
      reply.setCookie(cookieName, token, cookieOptions(expiresAt));
    },
    async end(request, reply) {
      if (request.sessionId) {
        await store.delete(request.sessionId);
        sessions.revoked([request.sessionId]);
      }
      request.user = null;
      request.sessionId = null;
      clearCookie(reply);
    },
    revoked(ids) {
      if (ids.length === 0) return;
      for (const id of ids) cache.delete(id);
      for (const listener of revokeListeners) listener(ids);
    },
    userChanged(userId) {
      bus.local('user', userId);
    },
    peek(cookieHeader) {
      const token = fastify.parseCookie(cookieHeader)[cookieName];
      return (token && lookupInMemory(token)?.user) || undefined;
    },
    async validate(token) {
      const found = await lookup(token, false);
      return found && { sessionId: found.sessionId, user: found.user };
    },
    onRevoke(listener) {
      revokeListeners.push(listener);
    },
  };
  fastify.decorate('sessions', sessions);

  // Expired sessions are refused when used; this sweep keeps the table small.
  const sweep = setInterval(
    () => {
      store
        .deleteExpired(fastify.clock())
        .catch((error: unknown) => fastify.log.warn({ err: error }, 'session sweep failed'));
    },
    60 * 60 * 1000,
  );
  sweep.unref();
  fastify.addHook('onClose', async () => clearInterval(sweep));
}

export default fp(sessionPlugin, { name: 'session', dependencies: ['session-store', 'invalidations'] });

/** The signed-in user, or a 401 for anonymous requests. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('unauthorized', 'Sign in to do this');
  return request.user;
}

/** The signed-in user if they hold one of the roles: 401 when anonymous, 403 otherwise. */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): SessionUser {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw new AppError('forbidden', 'Your role does not allow this');
  return user;
}
