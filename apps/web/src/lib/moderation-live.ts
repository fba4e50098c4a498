/**
 * The moderation queues, live: joins a moderators' room (`moderation:watch`, slug `reports` or
 * `cases`) over the shared connection and hears each arrival (`report:created`, `case:proposed`).
 * `watching` tells the page when the room is joined (it says so on screen); after a reconnection the
 * queue is read again, since items may have arrived meanwhile. Without a connection the page stays
 * as it was rendered.
 */
import { shareSocket } from '#lib/realtime.ts';

const ACK_TIMEOUT_MS = 5_000;

export interface ModerationLiveHandlers {
  /** Something arrived (or, after a reconnection, may have): read the queue again. */
  changed: (fresh: boolean) => void;
  /** The room is joined (true) or the connection dropped (false). */
  watching: (on: boolean) => void;
}

type Queue = { slug: 'reports'; event: 'report:created' } | { slug: 'cases'; event: 'case:proposed' };

function watchQueue({ slug, event }: Queue, handlers: ModerationLiveHandlers): () => void {
  let stopped = false;
  let joinedBefore = false;
  const { socket, release } = shareSocket();
  const onArrival = () => handlers.changed(true);
  const onDrop = () => handlers.watching(false);
  let connection: Awaited<typeof socket> | null = null;
  const join = () => {
    connection?.timeout(ACK_TIMEOUT_MS).emit('moderation:watch', { slug }, (err, ack) => {
      if (stopped || err || !ack.ok) return;
      handlers.watching(true);
      if (joinedBefore) handlers.changed(false);
      joinedBefore = true;
    });
  };
  socket
    .then((s) => {
      if (stopped) return;
      connection = s;
      s.on(event, onArrival);
      s.on('disconnect', onDrop);
      s.on('connect', join);
      if (s.connected) join();
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    connection?.off(event, onArrival);
    connection?.off('disconnect', onDrop);
    connection?.off('connect', join);
    if (connection?.connected) connection.emit('moderation:unwatch', { slug }, () => {});
    release();
  };
}

/** The queue of reports (/moderation). */
export function watchReports(handlers: ModerationLiveHandlers): () => void {
  return watchQueue({ slug: 'reports', event: 'report:created' }, handlers);
}

/** The queue of proposed cases (/moderation/cases). */
export function watchProposals(handlers: ModerationLiveHandlers): () => void {
  return watchQueue({ slug: 'cases', event: 'case:proposed' }, handlers);
}
