/**
 * The moderation queue, live: joins the moderators' room (`moderation:watch`, slug `reports`) over
 * the shared connection and hears each new report. `watching` tells the page when the room is
 * joined (it says so on screen); after a reconnection the queue is read again, since reports may
 * have arrived meanwhile. Without a connection the page stays as it was rendered.
 */
import { shareSocket } from '#lib/realtime.ts';

const ACK_TIMEOUT_MS = 5_000;

export interface ModerationLiveHandlers {
  /** A report was filed (or, after a reconnection, may have been): read the queue again. */
  changed: (fresh: boolean) => void;
  /** The room is joined (true) or the connection dropped (false). */
  watching: (on: boolean) => void;
}

export function watchReports(handlers: ModerationLiveHandlers): () => void {
  let stopped = false;
  let joinedBefore = false;
  const { socket, release } = shareSocket();
  const onReport = () => handlers.changed(true);
  const onDrop = () => handlers.watching(false);
  let connection: Awaited<typeof socket> | null = null;
  const join = () => {
    connection?.timeout(ACK_TIMEOUT_MS).emit('moderation:watch', { slug: 'reports' }, (err, ack) => {
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
      s.on('report:created', onReport);
      s.on('disconnect', onDrop);
      s.on('connect', join);
      if (s.connected) join();
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    connection?.off('report:created', onReport);
    connection?.off('disconnect', onDrop);
    connection?.off('connect', join);
    if (connection?.connected) connection.emit('moderation:unwatch', { slug: 'reports' }, () => {});
    release();
  };
}
