/**
 * Editors of a case, live: an organiser, moderator or admin on a case's edit page joins its room
 * `case-edit:<slug>` (`case:edit`); everyone there gets the list of editors (`case:editors`) when
 * someone joins, leaves (`case:unedit`) or disconnects. The list is read from the room's sockets
 * on every node (`fetchSockets` through the cluster adapter, as presence counts are). Every node
 * turns a committed `updated` activity of a case into `case:saved` for its own sockets in the room.
 */
import type { CaseEditors } from '@opsi/contracts/realtime';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { fail, slugOf, type RealtimeSocket } from '../../../plugins/realtime.ts';

const EDITOR_ROLES = new Set(['organiser', 'moderator', 'admin']);
export const EDIT_ROOM = 'case-edit:';

async function liveEditorsPlugin(fastify: FastifyInstance) {
  const io = fastify.io;

  async function editorsIn(slug: string): Promise<CaseEditors> {
    const sockets = await io.in(EDIT_ROOM + slug).fetchSockets();
    const editors = new Map<string, { handle: string; displayName: string }>();
    for (const socket of sockets) {
      const user = socket.data.user;
      if (user) editors.set(user.handle, { handle: user.handle, displayName: user.displayName });
    }
    return { slug, editors: [...editors.values()].sort((a, b) => a.handle.localeCompare(b.handle)) };
  }

  function announce(slug: string) {
    editorsIn(slug).then(
      (list) => io.to(EDIT_ROOM + slug).emit('case:editors', list),
      (error: unknown) => fastify.log.warn({ err: error }, 'case editors announcement failed'),
    );
  }

  const watched = new WeakSet<RealtimeSocket>();
  function onLeave(socket: RealtimeSocket) {
    if (watched.has(socket)) return;
    watched.add(socket);
    socket.on('disconnecting', () => {
      const slugs = [...socket.rooms].filter((r) => r.startsWith(EDIT_ROOM)).map((r) => r.slice(EDIT_ROOM.length));
      // After the socket has left its rooms, tell the others who remains.
      setImmediate(() => slugs.forEach(announce));
    });
  }

  fastify.realtime.handle('case:edit', (socket, payload, reply) => {
    const slug = slugOf(payload);
    if (!slug) return reply(fail('validation_failed', 'slug must be a case slug'));
    const user = socket.data.user;
    if (!user) return reply(fail('unauthorized', 'Sign in to edit a case'));
    if (!EDITOR_ROLES.has(user.role))
      return reply(fail('forbidden', 'Only organisers, moderators and admins edit cases'));
    void (async () => {
      if (!(await fastify.cases.exists(slug))) return reply(fail('not_found', `No case "${slug}"`));
      await socket.join(EDIT_ROOM + slug);
      onLeave(socket);
      const list = await editorsIn(slug);
      reply({ ok: true, data: list });
      socket.to(EDIT_ROOM + slug).emit('case:editors', list);
    })().catch((error: unknown) => {
      fastify.log.error({ err: error }, 'case:edit failed');
      reply({ ok: false, error: { code: 'internal_error', message: 'Could not join the editors' } });
    });
  });

  fastify.realtime.handle('case:unedit', (socket, payload, reply) => {
    const slug = slugOf(payload);
    if (!slug) return reply(fail('validation_failed', 'slug must be a case slug'));
    void socket.leave(EDIT_ROOM + slug);
    reply({ ok: true, data: null });
    announce(slug);
  });

  const unsubscribe = fastify.activities.subscribe((activity) => {
    if (activity.objectType !== 'case' || activity.verb !== 'updated') return;
    const { version, editor, previousSlug } = activity.payload;
    for (const slug of new Set([previousSlug ?? activity.objectId, activity.objectId])) {
      io.local.to(EDIT_ROOM + slug).emit('case:saved', { slug, currentSlug: activity.objectId, version, editor });
    }
  });
  fastify.addHook('preClose', async () => {
    unsubscribe();
  });
}

export default fp(liveEditorsPlugin, {
  name: 'live-case-editors',
  dependencies: ['realtime', 'outbox', 'cases-service'],
});
