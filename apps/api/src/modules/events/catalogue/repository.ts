/**
 * The events themselves: the list, an event's cases, creating, editing and cancelling an event.
 * Edits and cancellations are decided under the event's lock (lockEvent), like RSVPs.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivities, insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';
import type { NewJob } from '../../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { addOrganisers, setOrganisers } from '../invitations/repository.ts';
import { afterEvent, eventQuery, lockEvent, toEventRow, type EventRow } from '../repository.ts';
import { seatsMove, type Counts } from '../rsvp/decide.ts';
import { promote, recount } from '../rsvp/repository.ts';

export interface EventFilter {
  when: 'upcoming' | 'past';
  from?: string | undefined;
  to?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
  mode?: string | undefined;
}

/** Upcoming: not yet over at `now`, soonest first. Past: over, latest first. Keyset on (starts_at, id). */
export async function listEvents(
  db: Executor,
  filter: EventFilter,
  page: { afterId?: string | undefined; limit: number },
  now: Date,
): Promise<EventRow[]> {
  const upcoming = filter.when === 'upcoming';
  let query = eventQuery(db).where('e.ends_at', upcoming ? '>=' : '<', now);
  if (filter.from) query = query.where('e.starts_at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('e.starts_at', '<', new Date(filter.to));
  if (filter.country) query = query.where(sql<boolean>`e.countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`e.themes @> array[${filter.theme}]::text[]`);
  if (filter.mode) query = query.where('e.mode', '=', filter.mode);
  if (page.afterId) {
    query = query.where(afterEvent(upcoming, page.afterId));
  }
  const rows = await query
    .orderBy('e.starts_at', upcoming ? 'asc' : 'desc')
    .orderBy('e.id', upcoming ? 'asc' : 'desc')
    .limit(page.limit)
    .execute();
  return rows.map(toEventRow);
}

export async function eventCases(db: Executor, eventId: string): Promise<{ slug: string; title: string }[]> {
  return db
    .selectFrom('event_cases as ec')
    .innerJoin('cases as c', 'c.id', 'ec.case_id')
    .select(['c.slug', 'c.title'])
    .where('ec.event_id', '=', eventId)
    .orderBy('c.title')
    .execute();
}

export async function caseIdsForSlugs(db: Executor, slugs: string[]): Promise<Map<string, string>> {
  if (!slugs.length) return new Map();
  const rows = await db.selectFrom('cases').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

export interface EventValues {
  slug: string;
  title: string;
  description: string;
  descriptionHtml: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  mode: string;
  venue: string;
  address: string;
  onlineUrl: string | null;
  capacity: number | null;
  rsvpDeadline: Date | null;
  countries: string[];
  themes: string[];
}

/** The columns of the values an edit may change. */
const EDITABLE = {
  title: 'title',
  description: 'description',
  descriptionHtml: 'description_html',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  timezone: 'timezone',
  mode: 'mode',
  venue: 'venue',
  address: 'address',
  onlineUrl: 'online_url',
  capacity: 'capacity',
  rsvpDeadline: 'rsvp_deadline',
  countries: 'countries',
  themes: 'themes',
} as const satisfies Record<Exclude<keyof EventValues, 'slug'>, string>;

/** The columns and values of an edit (undefined: left as it is). */
function columnsOf(values: Partial<EventValues>): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(EDITABLE)) {
    const value = values[key as keyof EventValues];
    if (value !== undefined) set[column] = value;
  }
  return set;
}

/**
 * A new event: its creator is its organiser; the members in `inviteeIds` are invited to
 * co-organise it (they organise it once they accept: acceptInvitation).
 */
export async function insertEvent(
  db: Kysely<Schema>,
  values: EventValues & { createdBy: string; inviteeIds: string[]; caseIds: string[] },
  activities: (id: string) => NewActivity[],
  jobs: (id: string) => NewJob[],
): Promise<{ id: string } | 'slug_taken'> {
  try {
    return await writerTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('events')
        .values({
          slug: values.slug,
          title: values.title,
          description: values.description,
          description_html: values.descriptionHtml,
          starts_at: values.startsAt,
          ends_at: values.endsAt,
          timezone: values.timezone,
          mode: values.mode,
          venue: values.venue,
          address: values.address,
          online_url: values.onlineUrl,
          capacity: values.capacity,
          rsvp_deadline: values.rsvpDeadline,
          countries: values.countries,
          themes: values.themes,
          created_by: values.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await addOrganisers(trx, row.id, values.createdBy, values.inviteeIds);
      if (values.caseIds.length) {
        await trx
          .insertInto('event_cases')
          .values(values.caseIds.map((caseId) => ({ event_id: row.id, case_id: caseId })))
          .execute();
      }
      await enqueueJobs(trx, jobs(row.id));
      await insertActivities(trx, activities(row.id));
      return { id: row.id };
    });
  } catch (error) {
    if ((error as { code?: string; constraint?: string }).code === '23505') return 'slug_taken';
    throw error;
  }
}

export type UpdateOutcome =
  | { kind: 'ok'; before: EventRow; after: EventRow; promoted: string[]; invited: string[]; counts: Counts }
  | { kind: 'missing' }
  | { kind: 'cancelled' }
  | { kind: 'capacity_below_going'; going: number };

/**
 * Edits an event under its lock. Lowering capacity below the people already going is refused
 * (nobody is evicted); raising it promotes from the waitlist, in order, seat by seat, while the
 * event is not over. A cancelled event is not edited at all (decided here, under the lock, so an
 * edit racing the cancellation cannot slip in after it).
 */
export async function updateEvent(
  db: Kysely<Schema>,
  slug: string,
  patch: Partial<EventValues> & { organisers?: { ids: string[]; by: string }; caseIds?: string[] },
  now: Date,
  effects: {
    bumpsSequence: (before: EventRow) => boolean;
    activity: (before: EventRow, after: EventRow, promoted: string[]) => NewActivity;
    jobs: (before: EventRow, after: EventRow, promoted: string[]) => Promise<NewJob[]> | NewJob[];
    /** The activity telling those newly invited to co-organise. */
    invited: (after: EventRow, userIds: string[]) => NewActivity;
  },
): Promise<UpdateOutcome> {
  return writerTransaction(db, async (trx): Promise<UpdateOutcome> => {
    const before = await lockEvent(trx, { slug });
    if (!before) return { kind: 'missing' };
    if (before.status === 'cancelled') return { kind: 'cancelled' };
    if (patch.capacity !== undefined && patch.capacity !== null && patch.capacity < before.goingCount) {
      return { kind: 'capacity_below_going', going: before.goingCount };
    }
    const set: Record<string, unknown> = { updated_at: sql`now()`, ...columnsOf(patch) };
    if (effects.bumpsSequence(before)) set.sequence = before.sequence + 1;
    await trx.updateTable('events').set(set).where('id', '=', before.id).execute();
    let invited: string[] = [];
    if (patch.organisers) {
      invited = await setOrganisers(trx, before, patch.organisers.ids, patch.organisers.by);
    }
    if (patch.caseIds) {
      await trx.deleteFrom('event_cases').where('event_id', '=', before.id).execute();
      if (patch.caseIds.length) {
        await trx
          .insertInto('event_cases')
          .values(patch.caseIds.map((caseId) => ({ event_id: before.id, case_id: caseId })))
          .execute();
      }
    }
    const capacity = patch.capacity !== undefined ? patch.capacity : before.capacity;
    const seats = capacity === null ? before.waitlistCount : capacity - before.goingCount;
    const moves = seatsMove(before, patch.endsAt ?? before.endsAt, now.getTime());
    const promoted = moves ? await promote(trx, before.id, seats) : [];
    const counts = await recount(trx, before.id);
    const after = toEventRow(await eventQuery(trx).where('e.id', '=', before.id).executeTakeFirstOrThrow());
    await enqueueJobs(trx, await effects.jobs(before, after, promoted));
    await insertActivity(trx, effects.activity(before, after, promoted));
    if (invited.length) await insertActivity(trx, effects.invited(after, invited));
    return { kind: 'ok', before, after, promoted, invited, counts };
  });
}

export async function cancelEvent(
  db: Kysely<Schema>,
  slug: string,
  now: Date,
  effects: { activity: (event: EventRow) => NewActivity; jobs: (event: EventRow, userIds: string[]) => NewJob[] },
): Promise<EventRow | 'missing' | 'already' | 'over'> {
  return writerTransaction(db, async (trx) => {
    const event = await lockEvent(trx, { slug });
    if (!event) return 'missing';
    if (event.status === 'cancelled') return 'already';
    // An event that took place is not cancelled after the fact (nor is everyone told it was).
    if (event.endsAt.getTime() <= now.getTime()) return 'over';
    await trx
      .updateTable('events')
      .set({
        status: 'cancelled',
        cancelled_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
        sequence: event.sequence + 1,
      })
      .where('id', '=', event.id)
      .execute();
    const people = await trx
      .selectFrom('rsvps')
      .select('user_id')
      .where('event_id', '=', event.id)
      .where('status', 'in', ['going', 'waitlisted', 'interested'])
      .execute();
    const after = { ...event, status: 'cancelled', sequence: event.sequence + 1 };
    await enqueueJobs(
      trx,
      effects.jobs(
        after,
        people.map((p) => p.user_id),
      ),
    );
    await insertActivity(trx, effects.activity(after));
    return after;
  });
}
