/**
 * The API test kit, live clients: Socket.IO clients over the websocket transport (typed by the
 * contracts' event maps), a recorder of what one hears with a typed waiter for the next event, and
 * plain WebSocket clients of the activity stream. Every client opened here is closed by
 * `closeSockets()` (call it in `afterAll`), or, for a file's app from `listeningAppForFile`, after
 * its last test.
 */
import { afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { Ack, ServerEvents, StreamActivity } from '@opsi/contracts/realtime';
import { createTestApp, listen, type TestAppOptions, type Who } from './testing.ts';

/**
 * A Socket.IO client. It is left untyped, since tests also send what a client should not; the
 * kit's waiters (`nextEvent`, `record(…).next`) are typed by the server's event map (API.md
 * "Realtime").
 */
export type LiveSocket = Socket;
/** An event the server sends, and what it carries. */
export type ServerEvent = keyof ServerEvents;
export type Payload<E extends ServerEvent> = Parameters<ServerEvents[E]>[0];

const WAIT_MS = 15_000;
const opened = new Set<LiveSocket | WebSocket>();

/** Closes every client the kit opened (in this test file). */
export function closeSockets(): void {
  for (const client of opened) {
    if (client instanceof WebSocket) client.close();
    else client.disconnect();
  }
  opened.clear();
}

/**
 * The app of a whole test file, listening on a loopback port (`origin`) for live clients; after its
 * last test the kit's clients are closed, then the app. At the top of the file (top-level await):
 * `const { app, origin } = await listeningAppForFile()`.
 */
export async function listeningAppForFile(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await createTestApp(overrides, options);
  const origin = await listen(app);
  afterAll(async () => {
    closeSockets();
    await app.close();
  });
  return { app, origin };
}

export interface SocketOptions {
  /** Signed in as this member (their session cookie in the handshake), or anonymous. */
  who?: Who;
  /** More handshake headers (an Origin, an X-Forwarded-For). */
  headers?: Record<string, string>;
}

/** A Socket.IO client of `origin`, websocket transport only, no reconnection: connecting, not yet connected. */
export function openSocket(origin: string, { who = null, headers = {} }: SocketOptions = {}): LiveSocket {
  const extraHeaders = { ...(who ? { cookie: who.cookie } : {}), ...headers };
  const s: LiveSocket = io(origin, {
    transports: ['websocket'],
    reconnection: false,
    ...(Object.keys(extraHeaders).length ? { extraHeaders } : {}),
  });
  opened.add(s);
  return s;
}

/** Connected, or the connect_error's message and data (a refused handshake). */
export function connectOutcome(s: LiveSocket): Promise<'connected' | { message: string; data: unknown }> {
  return new Promise((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (error: Error & { data?: unknown }) =>
      resolve({ message: error.message, data: error.data }),
    );
  });
}

/** A connected Socket.IO client of `origin` (fails with the connect_error when refused). */
export async function connectSocket(origin: string, options: SocketOptions = {}): Promise<LiveSocket> {
  const s = openSocket(origin, options);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** Sends a client event (or anything at all, to see it refused) and returns the server's acknowledgement. */
export function ack<T = unknown>(s: LiveSocket, event: string, payload: unknown): Promise<Ack<T>> {
  return s.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** The next time `s` hears `event` (any event, the socket's own connect and disconnect included). */
export function once<T = unknown>(s: LiveSocket, event: string): Promise<T> {
  return new Promise((resolve) => s.once(event, resolve));
}

/** The first `event` from now on whose payload passes `match`; fails after `within` ms. */
export function nextEvent<E extends ServerEvent>(
  s: LiveSocket,
  event: E,
  match: (payload: Payload<E>) => boolean = () => true,
  within = WAIT_MS,
): Promise<Payload<E>> {
  const name: string = event;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(name, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, within);
    const listener = (payload: Payload<E>) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      s.off(name, listener);
      resolve(payload);
    };
    s.on(name, listener);
  });
}

export interface Heard {
  event: string;
  payload: unknown;
}

export interface Recording {
  /** Every event heard since the recording began, in order. */
  heard: Heard[];
  /** The payloads of `event` heard so far. */
  of<E extends ServerEvent>(event: E): Payload<E>[];
  /** The first `event` heard (already, or from now on) whose payload passes `match`; fails after `within` ms. */
  next<E extends ServerEvent>(event: E, match?: (payload: Payload<E>) => boolean, within?: number): Promise<Payload<E>>;
}

/** Records everything `s` hears from now on. */
export function record(s: LiveSocket): Recording {
  const heard: Heard[] = [];
  const waiters = new Set<(h: Heard) => boolean>();
  s.onAny((event: string, payload: unknown) => {
    const h = { event, payload };
    heard.push(h);
    for (const waiter of waiters) if (waiter(h)) waiters.delete(waiter);
  });
  const of = <E extends ServerEvent>(event: E) =>
    heard.filter((h) => h.event === event).map((h) => h.payload as Payload<E>);
  return {
    heard,
    of,
    next(event, match = () => true, within = WAIT_MS) {
      type P = Payload<typeof event>;
      const found = of(event).find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<P>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${event}`));
        }, within);
        const waiter = (h: Heard) => {
          if (h.event !== event || !match(h.payload as P)) return false;
          clearTimeout(timer);
          resolve(h.payload as P);
          return true;
        };
        waiters.add(waiter);
      });
    },
  };
}

export interface StreamClient {
  ws: WebSocket;
  /** Every activity received, in order. */
  messages: StreamActivity[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A client of the plain WebSocket stream at `url` (`ws://…/api/v1/stream?…`), with more request headers if given. */
export function openStream(url: string, headers: Record<string, string> = {}): StreamClient {
  const ws = new WebSocket(url, { headers });
  opened.add(ws);
  const messages: StreamActivity[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as StreamActivity));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, opened: open, closed };
}
