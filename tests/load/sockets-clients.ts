/**
 * Idle Socket.IO clients for the sockets section (sockets.ts): one child process holds a share of
 * them (websocket transport, each with its member's session cookie), driven over IPC:
 *  - `connect`: opens one client per cookie given (anonymous when the cookie is empty), at most
 *    `concurrency` handshakes at a time, and answers once every one is connected;
 *  - `tally`: how many are connected now, and how many dropped;
 *  - `close`: disconnects them all.
 * Started through a shell that raises its soft limit on open files to the hard one first.
 */
import { io, type Socket } from 'socket.io-client';
import { serve } from './ipc.ts';
import { openAll } from './pool.ts';

let sockets: Socket[] = [];
let dropped = 0;
let closing = false;

function connectOne(origin: string, cookie: string): Promise<Socket> {
  const socket = io(origin, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  socket.on('disconnect', () => {
    if (!closing) dropped += 1;
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

serve({
  async connect(message) {
    const origin = String(message.origin);
    const cookies = message.cookies as string[];
    const concurrency = Number(message.concurrency ?? 50);
    const { opened, seconds } = await openAll(cookies.length, concurrency, (index) =>
      connectOne(origin, cookies[index]!),
    );
    sockets = sockets.concat(opened);
    return { connected: opened.length, seconds };
  },
  tally() {
    return { connected: sockets.filter((s) => s.connected).length, dropped };
  },
  close() {
    closing = true;
    for (const socket of sockets) socket.disconnect();
    sockets = [];
    return null;
  },
});

process.send?.('ready');
