/**
 * The plain WebSocket stream for integrations: GET /api/v1/stream?country=&theme=&since=
 * (upgrade). It replays public activities after `since`, in order, then sends live ones, without
 * gaps or duplicates across the switch.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type, type Static } from 'typebox';
import { CountryCode, Slug } from '@opsi/contracts/common';
import type { StreamActivity } from '@opsi/contracts/realtime';
import type { Activity } from '../platform/outbox/catalogue.ts';
import { isBefore, type ActivityPosition } from '../platform/outbox/repository.ts';
import { TOO_MANY_SOCKETS } from './socket-limits.ts';

/** WebSocket close code 1008: policy violation (RFC 6455). */
const POLICY_VIOLATION = 1008;

const StreamQuery = Type.Object({
  country: Type.Optional(CountryCode),
  theme: Type.Optional(Slug),
  since: Type.Optional(Type.String({ pattern: '^\\d{1,19}$', description: 'the id of the last activity received' })),
});
type StreamQuery = Static<typeof StreamQuery>;

const REPLAY_BATCH = 500;

export function toStreamActivity(a: Activity): StreamActivity {
  return {
    id: a.id,
    verb: a.verb,
    objectType: a.objectType,
    objectId: a.objectId,
    countries: a.countries,
    themes: a.themes,
    createdAt: a.createdAt.toISOString(),
  };
}

function matches(a: Activity, q: StreamQuery): boolean {
  return a.isPublic && (!q.country || a.countries.includes(q.country)) && (!q.theme || a.themes.includes(q.theme));
}

/** WebSocket close code 1012: service restart (IANA registry): reconnect, with `since`, to another node. */
export const SERVICE_RESTART = 1012;

async function streamPlugin(fastify: FastifyInstance) {
  await fastify.register(websocket, { options: { server: fastify.upgradeHub as never, maxPayload: 4096 } });
  // Draining: every stream client is told to reconnect (1012), and given until the deadline to
  // answer the close handshake.
  fastify.drain.onDrain(async (deadline) => {
    const clients = [...fastify.websocketServer.clients];
    const closed = clients.map((c) => new Promise((resolve) => c.once('close', resolve)));
    for (const client of clients) client.close(SERVICE_RESTART, 'service restart: reconnect with since');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    await Promise.race([Promise.all(closed), late]);
    clearTimeout(timer);
    for (const client of clients) if (client.readyState !== client.CLOSED) client.terminate();
  });

  fastify.get(
    '/api/v1/stream',
    {
      websocket: true,
      schema: {
        tags: ['realtime'],
        summary: 'Public activity as a WebSocket stream of JSON messages (upgrade)',
        description:
          'Each message is one activity. `since` replays what came after that id, in order, before live messages. Messages carry no text. Activities about a post hidden by a moderator are not sent: once it is hidden, a `since` replay leaves out every activity about it (its creation included), and nothing about it goes out live while it stays hidden (activities written then are not public); an unhide makes them public again.',
        querystring: StreamQuery,
      },
    },
    (socket, request) => {
      // Sockets per address (SOCKETS_PER_ADDRESS), counted with the Socket.IO ones.
      const release = fastify.socketLimits.acquire(request.ip);
      if (!release) {
        socket.close(POLICY_VIOLATION, TOO_MANY_SOCKETS.slice(0, 120));
        return;
      }
      socket.on('close', release);
      const query = request.query as StreamQuery;
      // Where the client stands, in outbox order (resolved from `since` before the replay starts).
      let sent: ActivityPosition = fastify.activities.position();
      let replaying = true;
      const buffered: Activity[] = [];

      const send = (a: Activity) => {
        const at = { xid: a.xid, id: a.id };
        if (!isBefore(sent, at)) return;
        sent = at;
        if (matches(a, query) && socket.readyState === socket.OPEN) socket.send(JSON.stringify(toStreamActivity(a)));
      };

      const unsubscribe = fastify.activities.subscribe((a) => (replaying ? buffered.push(a) : send(a)));
      socket.on('close', unsubscribe);
      socket.on('message', () => {
        // The stream is one-way; messages from clients are ignored.
      });

      void (async () => {
        try {
          if (query.since) sent = (await fastify.activities.positionOf(query.since)) ?? sent;
          let after = sent;
          for (;;) {
            const page = await fastify.activities.listAfter({
              after,
              publicOnly: true,
              country: query.country,
              theme: query.theme,
              limit: REPLAY_BATCH,
            });
            // Non-matching rows between matches are skipped by the filter; advance past them too.
            for (const activity of page.activities) send(activity);
            if (!page.more || !page.last) break;
            after = page.last;
          }
          replaying = false;
          for (const a of buffered.splice(0)) send(a);
        } catch (error) {
          request.log.error({ err: error }, 'stream replay failed');
          socket.close(1011, 'replay failed');
        }
      })();
    },
  );
}

export default fp(streamPlugin, { name: 'stream', dependencies: ['outbox', 'upgrades', 'realtime', 'drain'] });
