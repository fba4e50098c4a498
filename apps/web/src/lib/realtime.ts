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

/** A sign-out the person asked for (a sign-out form sent) is not news to them. */
const ASKED_WITHIN_MS = 30_000;
let signOutAskedAt = -Infinity;
const signedOutListeners = new Set<() => void>();

/** Says that the person is signing out themselves: the server closing their socket is then expected. */
export function expectSignOut(): void {
  signOutAskedAt = Date.now();
}

/**
 * Calls `listener` when the server ended this browser's session while a page was open (a
 * suspension, a sign-out from another device): the server closes the session's sockets. Returns
 * a function that stops listening.
 */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/**
 * The server closed the socket (Socket.IO does not reconnect by itself then): ask the API whether
 * the session still holds. Either way the socket connects once more, as whoever the cookie now
 * says (a member whose role changed, or an anonymous reader once the session is gone), so a
 * revoked session never loops: its next handshake is anonymous and nobody closes that.
 */
function onServerDisconnect(s: RealtimeSocket) {
  s.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    fetch('/api/v1/me', { headers: { accept: 'application/json' } }).then(
      (answer) => {
        if (answer.status === 401 && Date.now() - signOutAskedAt > ASKED_WITHIN_MS) {
          for (const listener of signedOutListeners) listener();
        }
        if (answer.status === 401 || answer.ok) s.connect();
      },
      () => undefined,
    );
  });
}

function acquire(): Promise<RealtimeSocket> {
  users += 1;
  clearTimeout(idleTimer);
  socket ??= import('socket.io-client').then(({ io }) => {
    const s: RealtimeSocket = io({ path: '/socket.io/', transports: ['websocket'], withCredentials: true });
    onServerDisconnect(s);
    return s;
  });
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
