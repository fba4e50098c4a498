/**
 * An event's door, live: the check-in page joins the door room (`checkin:watch`, the event's
 * organisers only) and the event's room over the shared Socket.IO connection (#lib/realtime.ts),
 * and hears who was checked in on any device and when answers change (someone new going, or
 * gone). Optional like the rest of the live layer: without a connection the page works as
 * rendered, and every check-in made from it still updates it.
 */
import type { CheckinChanged, RsvpChanged } from '@opsi/contracts/events';
import type { ClientEvents, ServerEvents } from '@opsi/contracts/realtime';
import type { Socket } from 'socket.io-client';
import { shareSocket } from '#lib/realtime.ts';

type RealtimeSocket = Socket<ServerEvents, ClientEvents>;

const ACK_TIMEOUT_MS = 5_000;

export interface DoorHandlers {
  /** Someone was checked in (here or on another device). */
  checkedIn: (payload: CheckinChanged) => void;
  /** The answers changed: the list of those going may have changed. */
  answers: () => void;
  /** The connection came back after a break: what happened meanwhile was missed, so reload. */
  reconnected: () => void;
}

/** Watches the door of the event `slug` until the returned function is called. */
export function watchDoor(slug: string, handlers: DoorHandlers): () => void {
  let stopped = false;
  let connection: RealtimeSocket | null = null;
  let watchedBefore = false;
  const { socket, release } = shareSocket();

  const onCheckin = (payload: CheckinChanged) => {
    if (payload.eventSlug === slug) handlers.checkedIn(payload);
  };
  const onCounts = (payload: RsvpChanged) => {
    if (payload.eventSlug === slug) handlers.answers();
  };
  const watch = () => {
    connection?.timeout(ACK_TIMEOUT_MS).emit('event:watch', { slug }, () => undefined);
    connection?.timeout(ACK_TIMEOUT_MS).emit('checkin:watch', { slug }, (err, ack) => {
      if (stopped || err || !ack.ok) return;
      if (watchedBefore) handlers.reconnected();
      watchedBefore = true;
    });
  };

  socket
    .then((s) => {
      if (stopped) return;
      connection = s;
      s.on('checkin:changed', onCheckin);
      s.on('rsvp:changed', onCounts);
      s.on('connect', watch); // also after every reconnection
      if (s.connected) watch();
    })
    .catch(() => undefined);

  return () => {
    stopped = true;
    if (connection) {
      connection.off('checkin:changed', onCheckin);
      connection.off('rsvp:changed', onCounts);
      connection.off('connect', watch);
      if (connection.connected) {
        connection.emit('checkin:unwatch', { slug }, () => {});
        connection.emit('event:unwatch', { slug }, () => {});
      }
    }
    release();
  };
}
