/** Socket.IO event maps shared by the server and every client (API.md "Realtime"). */
import type { ErrorCode } from './common.ts';

export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T = unknown> = (response: Ack<T>) => void;

export interface PresencePayload {
  room: string;
  watching: number;
}

export interface ClientEvents {
  'case:watch': (payload: { slug: string }, ack: AckFn<PresencePayload>) => void;
  'case:unwatch': (payload: { slug: string }, ack: AckFn<null>) => void;
}

export interface ServerEvents {
  'presence:changed': (payload: PresencePayload) => void;
  'activity:created': (payload: StreamActivity) => void;
}

/** One public activity, as sent on the plain WebSocket stream and to case rooms. */
export interface StreamActivity {
  id: string;
  verb: string;
  objectType: string;
  objectId: string;
  countries: string[];
  themes: string[];
  createdAt: string;
}
