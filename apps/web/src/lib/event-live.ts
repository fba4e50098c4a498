/**
 * An event page, live: it joins the event's room over the shared Socket.IO connection
 * (#lib/realtime.ts) and hears RSVP counts, organisers' changes and the viewer's own promotion
 * from the waitlist. The organisers' door (the check-in page) also joins the door room
 * (`checkin:watch`, the event's organisers only) and hears who was checked in on any device.
 * Optional like the rest of the live layer: without a connection the page simply stays as it was
 * rendered.
 */
import type { CheckinChanged, RsvpChanged } from '@opsi/contracts/events';
import type { LivePoll, LiveQuestion, QaChanged } from '@opsi/contracts/live';
import type { ClientEvents, ServerEvents } from '@opsi/contracts/realtime';
import type { Socket } from 'socket.io-client';
import { shareSocket } from '#lib/realtime.ts';

type RealtimeSocket = Socket<ServerEvents, ClientEvents>;

const ACK_TIMEOUT_MS = 5_000;

export interface EventLiveHandlers {
  /** New counts after anyone's RSVP. */
  counts: (payload: RsvpChanged) => void;
  /** Organisers changed or cancelled the event: reload it. */
  updated: (status: 'published' | 'cancelled') => void;
  /** The viewer was moved from the waitlist to going. */
  promoted: () => void;
  /**
   * The page joined the event's room: on the first connection as after a break. What happened
   * since the page was rendered (or while the connection was down) was not heard live, so reload.
   */
  joined: () => void;
  /** The door only (organisers): someone was checked in, here or on another device. */
  checkedIn?: (payload: CheckinChanged) => void;
  /** The live layer (Q&A and polls): a question asked or changed, Q&A opened or closed, a poll launched, voted or closed. */
  question?: (payload: LiveQuestion) => void;
  qa?: (payload: QaChanged) => void;
  poll?: (payload: LivePoll) => void;
}

/** Watches the event `slug` until the returned function is called. */
export function watchEvent(slug: string, handlers: EventLiveHandlers): () => void {
  let stopped = false;
  let connection: RealtimeSocket | null = null;
  const { socket, release } = shareSocket();

  const onCounts = (payload: RsvpChanged) => {
    if (payload.eventSlug === slug) handlers.counts(payload);
  };
  const onUpdated = (payload: { eventSlug: string; status: 'published' | 'cancelled' }) => {
    if (payload.eventSlug === slug) handlers.updated(payload.status);
  };
  const onRsvpUpdated = (payload: { eventSlug: string; status: 'going' }) => {
    if (payload.eventSlug === slug && payload.status === 'going') handlers.promoted();
  };
  const onCheckin = (payload: CheckinChanged) => {
    if (payload.eventSlug === slug) handlers.checkedIn?.(payload);
  };
  const door = handlers.checkedIn !== undefined;
  // The live layer (Q&A and polls).
  const onQuestion = (payload: LiveQuestion) => {
    if (payload.eventSlug === slug) handlers.question?.(payload);
  };
  const onQa = (payload: QaChanged) => {
    if (payload.eventSlug === slug) handlers.qa?.(payload);
  };
  const onPoll = (payload: LivePoll) => {
    if (payload.eventSlug === slug) handlers.poll?.(payload);
  };
  const questionEvents = ['question:created', 'question:updated'] as const;
  const pollEvents = ['poll:created', 'poll:updated', 'poll:closed'] as const;
  const watch = () => {
    if (door) connection?.timeout(ACK_TIMEOUT_MS).emit('checkin:watch', { slug }, () => undefined);
    connection?.timeout(ACK_TIMEOUT_MS).emit('event:watch', { slug }, (err, ack) => {
      if (stopped || err || !ack.ok) return;
      // Events are broadcast to the room, with no catch-up of their own (unlike a thread's
      // posts): anything said between the page's render and this join, such as questions opening,
      // is only seen by reading the event again.
      handlers.joined();
    });
  };

  socket
    .then((s) => {
      if (stopped) return;
      connection = s;
      s.on('rsvp:changed', onCounts);
      s.on('event:updated', onUpdated);
      s.on('rsvp:updated', onRsvpUpdated);
      if (door) s.on('checkin:changed', onCheckin);
      for (const event of questionEvents) s.on(event, onQuestion);
      for (const event of pollEvents) s.on(event, onPoll);
      s.on('qa:changed', onQa);
      s.on('connect', watch); // also after every reconnection
      if (s.connected) watch();
    })
    .catch(() => undefined);

  return () => {
    stopped = true;
    if (connection) {
      connection.off('rsvp:changed', onCounts);
      connection.off('event:updated', onUpdated);
      connection.off('rsvp:updated', onRsvpUpdated);
      connection.off('checkin:changed', onCheckin);
      for (const event of questionEvents) connection.off(event, onQuestion);
      for (const event of pollEvents) connection.off(event, onPoll);
      connection.off('qa:changed', onQa);
      connection.off('connect', watch);
      if (connection.connected) connection.emit('event:unwatch', { slug }, () => {});
      if (connection.connected && door) connection.emit('checkin:unwatch', { slug }, () => {});
    }
    release();
  };
}
