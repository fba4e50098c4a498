/** A member's own events (GET /api/v1/me/events): what they answered, with their status, place and ticket. */
import type { MyEventList, MyEventsQuery, RsvpStatus } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import { decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import { AppError } from '../../../platform/errors.ts';
import type { EventActor } from '../access.ts';
import { toSummary } from '../catalogue/detail.ts';
import { listMyEvents } from './repository.ts';

export function createMyEventsService(db: Database['kysely'], clock: Clock) {
  return {
    async myEvents(actor: EventActor | null, query: MyEventsQuery): Promise<MyEventList> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see your events');
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeCursor(query.cursor) : {};
      const rows = await listMyEvents(
        db,
        actor.id,
        query.when ?? 'upcoming',
        { afterId: cursor.afterId, limit: limit + 1 },
        clock(),
      );
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          event: toSummary(r.event),
          rsvp: {
            status: r.status as RsvpStatus,
            waitlistPosition: r.position,
            ticketCode: r.status === 'going' ? r.ticketCode : null,
            checkedInAt: r.checkedInAt?.toISOString() ?? null,
            answeredAt: r.answeredAt.toISOString(),
          },
        })),
        nextCursor: rows.length > limit ? encodeCursor({ afterId: page[page.length - 1]!.event.id }) : null,
      };
    },
  };
}
