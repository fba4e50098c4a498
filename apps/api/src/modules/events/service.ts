/**
 * Events: the one events service (built once per app by plugin.ts: fastify.events, which the
 * routes, the calendar routes and the demo data use), put together from the module's sub-features
 * (one folder each, with its own service and repository):
 *
 *   catalogue/    the list, one event, creating, editing and cancelling events
 *   rsvp/         answers, the waitlist and promotions (decide.ts: the rules, pure), the storm queue
 *   attendance/   attendee lists, CSV, check-ins and tickets, organisers' messages
 *   invitations/  co-organisers: invitations and their answers
 *   mine/         a member's own events: what they answered, with their status, place and ticket
 *   calendar/     .ics files, "add to calendar" links, private feeds and their tokens
 *   notices/      the emails and their jobs (reminders, promotions, changes, cancellations)
 *
 * and what they share: access.ts (who may manage an event), effects.ts (the activities and jobs a
 * change commits with), repository.ts (an event, locked or not; members).
 */
import type { Database } from '@opsi/db/database';
import { zonedTime } from '@opsi/common/zones';
import type { Clock } from '../../platform/clock.ts';
import { createEventAccess, type EventActor } from './access.ts';
import { createAttendanceService } from './attendance/service.ts';
import { createCalendarService } from './calendar/service.ts';
import { createEventDetail } from './catalogue/detail.ts';
import { createCatalogueService } from './catalogue/service.ts';
import { createInvitationsService } from './invitations/service.ts';
import { createMyEventsService } from './mine/service.ts';
import { findEvent, usersByHandles } from './repository.ts';
import { createRsvpService } from './rsvp/service.ts';
import { events as demoEvents } from '../../../../../db/seed/events.ts';

export type { EventActor };

const DAY_MS = 24 * 60 * 60 * 1000;

/** `clock` (the app's: platform/clock.ts) is the time every rule reads: RSVP deadlines, seats, reminders. */
export function createEventsService(database: Database, publicOrigin: string, clock: Clock) {
  const db = database.kysely;
  const access = createEventAccess(db);
  const detail = createEventDetail(db, access, clock);
  return {
    load: access.load,
    detail,
    canManage: access.canManage,
    ...createCatalogueService(db, access, detail, clock),
    ...createInvitationsService(db, access, detail, clock),
    ...createRsvpService(db, clock),
    ...createAttendanceService(db, access),
    ...createMyEventsService(db, clock),
    ...createCalendarService(db, publicOrigin, clock),
  };
}

export type EventsService = ReturnType<typeof createEventsService>;

/**
 * The demo events (db/seed/events.ts), on the first start, with the demo members' answers (in
 * list order, so a full event has a waitlist), dated from `now` (the app's clock). Returns how many events were added.
 */
export async function seedDemoEvents(database: Database, service: EventsService, now: Date): Promise<number> {
  const db = database.kysely;
  let added = 0;
  for (const demo of demoEvents) {
    if (await findEvent(db, demo.slug)) continue;
    const [organiser] = await usersByHandles(db, [demo.organiser]);
    if (!organiser) continue;
    const startsAt = zonedTime(new Date(now.getTime() + demo.inDays * DAY_MS), demo.localTime, demo.timezone);
    const endsAt = new Date(startsAt.getTime() + demo.durationHours * 60 * 60 * 1000);
    await service.create(
      { id: organiser.id, role: 'admin' },
      {
        slug: demo.slug,
        title: demo.title,
        description: demo.description,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        timezone: demo.timezone,
        mode: demo.mode,
        venue: demo.venue,
        address: demo.address,
        onlineUrl: demo.onlineUrl,
        capacity: demo.capacity,
        countries: demo.countries,
        themes: demo.themes,
        caseSlugs: demo.cases,
      },
    );
    const people = await usersByHandles(db, [...demo.going, ...demo.interested]);
    const byHandle = new Map(people.map((p) => [p.handle, p]));
    for (const [handles, status] of [
      [demo.going, 'going'],
      [demo.interested, 'interested'],
    ] as const) {
      for (const handle of handles) {
        const person = byHandle.get(handle);
        if (person) await service.rsvp({ id: person.id, role: 'member' }, demo.slug, { status }, { quiet: true });
      }
    }
    added += 1;
  }
  return added;
}
