/**
 * A member's own events: every event they answered (going, waitlisted, interested or declined),
 * with their answer and, while waitlisted, their place in line. Keyset on (starts_at, id) like the
 * public list: upcoming (not over at `now`) soonest first, past latest first.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { afterEvent, eventQuery, toEventRow, type EventRow } from '../repository.ts';

export interface MyEventRow {
  event: EventRow;
  status: string;
  ticketCode: string;
  checkedInAt: Date | null;
  answeredAt: Date;
  position: number | null;
}

export async function listMyEvents(
  db: Executor,
  userId: string,
  when: 'upcoming' | 'past',
  page: { afterId?: string | undefined; limit: number },
  now: Date,
): Promise<MyEventRow[]> {
  const upcoming = when === 'upcoming';
  let query = eventQuery(db)
    .innerJoin('rsvps as r', (join) => join.onRef('r.event_id', '=', 'e.id').on('r.user_id', '=', userId))
    .select([
      'r.status as my_status',
      'r.ticket_code as my_ticket_code',
      'r.checked_in_at as my_checked_in_at',
      'r.decided_at as my_decided_at',
      sql<string | null>`case when r.status = 'waitlisted' then (
        select count(*) from rsvps w where w.event_id = r.event_id and w.status = 'waitlisted'
          and w.decided_order <= r.decided_order) end`.as('my_position'),
    ])
    .where('e.ends_at', upcoming ? '>=' : '<', now);
  if (page.afterId) {
    query = query.where(afterEvent(upcoming, page.afterId));
  }
  const rows = await query
    .orderBy('e.starts_at', upcoming ? 'asc' : 'desc')
    .orderBy('e.id', upcoming ? 'asc' : 'desc')
    .limit(page.limit)
    .execute();
  return rows.map((row) => {
    const { my_status, my_ticket_code, my_checked_in_at, my_decided_at, my_position, ...event } = row;
    return {
      event: toEventRow(event),
      status: my_status,
      ticketCode: my_ticket_code,
      checkedInAt: my_checked_in_at,
      answeredAt: my_decided_at,
      position: my_position === null ? null : Number(my_position),
    };
  });
}
