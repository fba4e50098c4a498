/**
 * Socket.IO client, optional by design: pages are complete without it, and if the connection
 * cannot be made the live parts simply stay hidden. The library is loaded only when needed.
 */
import type { ClientEvents, PresencePayload, ServerEvents } from '@opsi/contracts/realtime';
import type { Socket } from 'socket.io-client';

type RealtimeSocket = Socket<ServerEvents, ClientEvents>;

const ACK_TIMEOUT_MS = 5_000;
const IDLE_DISCONNECT_MS = 15_000;

let socket: Promise<RealtimeSocket> | null = null;
let users = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function acquire(): Promise<RealtimeSocket> {
  users += 1;
  clearTimeout(idleTimer);
  socket ??= import('socket.io-client').then(({ io }) =>
    io({ path: '/socket.io/', transports: ['websocket'], withCredentials: true }),
  );
  const current = socket;
  current.catch(() => {
    if (socket === current) socket = null;
  });
  return current;
}

function release(): void {
  users -= 1;
  if (users > 0) return;
  const current = socket;
  idleTimer = setTimeout(() => {
    if (users > 0 || socket !== current) return;
    socket = null;
    void current?.then((s) => s.disconnect());
  }, IDLE_DISCONNECT_MS);
}

/**
 * Joins the room of a case and reports how many people are reading it: a number, or null
 * while unknown (connecting, disconnected, refused). Returns a function that leaves the room.
 */
export function watchCase(slug: string, onChange: (watching: number | null) => void): () => void {
  let stopped = false;
  let room: string | null = null;
  let connection: RealtimeSocket | null = null;

  const onPresence = (payload: PresencePayload) => {
    if (payload.room === room) onChange(payload.watching);
  };
  const onDisconnect = () => onChange(null);
  const watch = () => {
    connection?.timeout(ACK_TIMEOUT_MS).emit('case:watch', { slug }, (err, ack) => {
      if (stopped) return;
      if (err || !ack.ok) {
        onChange(null);
        return;
      }
      room = ack.data.room;
      onChange(ack.data.watching);
    });
  };

  acquire()
    .then((s) => {
      if (stopped) return;
      connection = s;
      s.on('presence:changed', onPresence);
      s.on('connect', watch); // also after every reconnection
      s.on('disconnect', onDisconnect);
      if (s.connected) watch();
    })
    .catch(() => onChange(null));

  return () => {
    stopped = true;
    if (connection) {
      connection.off('presence:changed', onPresence);
      connection.off('connect', watch);
      connection.off('disconnect', onDisconnect);
      if (connection.connected) connection.emit('case:unwatch', { slug }, () => {});
    }
    release();
  };
}

/**
 * The shared connection, for live features kept in their own modules (#lib/event-live.ts): the
 * socket (rejected when it cannot be made) and `release`, to call once when done with it.
 */
export function shareSocket(): { socket: Promise<RealtimeSocket>; release: () => void } {
  return { socket: acquire(), release };
}
