/**
 * Events, organisers, RSVPs, check-ins and calendar tokens. Every RSVP decision is taken under the
 * event's row lock (SELECT … FOR UPDATE), so `going` never exceeds capacity under any concurrency
 * (the table's CHECK is the second guard), and the waitlist is served in decided_order.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import { insertActivities, insertActivity, type NewActivity } from '../../platform/outbox/repository.ts';
import { enqueueJobs, type NewJob } from '../../platform/jobs/repository.ts';

export interface EventRow {
  id: string;
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
  status: string;
  sequence: number;
  createdBy: string;
  goingCount: number;
  waitlistCount: number;
  interestedCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const EVENT_COLUMNS = [
  'e.id',
  'e.slug',
  'e.title',
  'e.description',
  'e.description_html',
  'e.starts_at',
  'e.ends_at',
  'e.timezone',
  'e.mode',
  'e.venue',
  'e.address',
  'e.online_url',
  'e.capacity',
  'e.rsvp_deadline',
  'e.countries',
  'e.themes',
  'e.status',
  'e.sequence',
  'e.created_by',
  'e.going_count',
  'e.waitlist_count',
  'e.interested_count',
  'e.created_at',
  'e.updated_at',
] as const;

function eventQuery(db: Executor) {
  return db.selectFrom('events as e').select(EVENT_COLUMNS);
}

type EventRecord = Awaited<ReturnType<ReturnType<typeof eventQuery>['executeTakeFirstOrThrow']>>;

function toEventRow(r: EventRecord): EventRow {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    description: r.description,
    descriptionHtml: r.description_html,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timezone: r.timezone,
    mode: r.mode,
    venue: r.venue,
    address: r.address,
    onlineUrl: r.online_url,
    capacity: r.capacity,
    rsvpDeadline: r.rsvp_deadline,
    countries: r.countries,
    themes: r.themes,
    status: r.status,
    sequence: r.sequence,
    createdBy: r.created_by,
    goingCount: r.going_count,
    waitlistCount: r.waitlist_count,
    interestedCount: r.interested_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface EventFilter {
  when: 'upcoming' | 'past';
  from?: string | undefined;
  to?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
  mode?: string | undefined;
}

/** Upcoming: not yet over, soonest first. Past: over, latest first. Keyset on (starts_at, id). */
export async function listEvents(
  db: Executor,
  filter: EventFilter,
  page: { afterId?: string | undefined; limit: number },
): Promise<EventRow[]> {
  const upcoming = filter.when === 'upcoming';
  let query = eventQuery(db).where('e.ends_at', upcoming ? '>=' : '<', sql<Date>`now()`);
  if (filter.from) query = query.where('e.starts_at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('e.starts_at', '<', new Date(filter.to));
  if (filter.country) query = query.where(sql<boolean>`e.countries @> array[${filter.country}]::text[]`);
  if (filter.theme) query = query.where(sql<boolean>`e.themes @> array[${filter.theme}]::text[]`);
  if (filter.mode) query = query.where('e.mode', '=', filter.mode);
  if (page.afterId) {
    query = query.where(
      upcoming
        ? sql<boolean>`(e.starts_at, e.id) > (select p.starts_at, p.id from events p where p.id = ${page.afterId})`
        : sql<boolean>`(e.starts_at, e.id) < (select p.starts_at, p.id from events p where p.id = ${page.afterId})`,
    );
  }
  const rows = await query
    .orderBy('e.starts_at', upcoming ? 'asc' : 'desc')
    .orderBy('e.id', upcoming ? 'asc' : 'desc')
    .limit(page.limit)
    .execute();
  return rows.map(toEventRow);
}

export async function findEvent(db: Executor, slug: string): Promise<EventRow | undefined> {
  const row = await eventQuery(db).where('e.slug', '=', slug).executeTakeFirst();
  return row && toEventRow(row);
}

export async function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  const row = await eventQuery(db).where('e.id', '=', id).executeTakeFirst();
  return row && toEventRow(row);
}

export interface PersonRow {
  id: string;
  handle: string;
  displayName: string;
}

export async function eventOrganisers(db: Executor, eventId: string): Promise<PersonRow[]> {
  const rows = await db
    .selectFrom('event_organisers as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['u.id', 'u.handle', 'u.display_name'])
    .where('o.event_id', '=', eventId)
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
}

export async function isOrganiser(db: Executor, eventId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('event_organisers')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
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

export async function userById(db: Executor, id: string): Promise<PersonRow | undefined> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { id: r.id, handle: r.handle, displayName: r.display_name };
}

export async function usersByHandles(db: Executor, handles: string[]): Promise<PersonRow[]> {
  if (!handles.length) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name'])
    .where('handle', 'in', handles)
    .execute();
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
}

/** A member named as co-organiser, with what they already are to the event. */
export interface Candidate extends PersonRow {
  role: string;
  organiser: boolean;
  invitation: 'pending' | 'declined' | null;
}

/** The members with these handles, with their role and (for an existing event) their standing on it. */
export async function organiserCandidates(
  db: Executor,
  eventId: string | null,
  handles: string[],
): Promise<Candidate[]> {
  if (!handles.length) return [];
  const users = await db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name', 'role'])
    .where('handle', 'in', handles)
    .execute();
  const ids = users.map((u) => u.id);
  const [organisers, invitations] =
    eventId && ids.length
      ? await Promise.all([
          db
            .selectFrom('event_organisers')
            .select('user_id')
            .where('event_id', '=', eventId)
            .where('user_id', 'in', ids)
            .execute(),
          db
            .selectFrom('event_organiser_invitations')
            .select(['user_id', 'status'])
            .where('event_id', '=', eventId)
            .where('user_id', 'in', ids)
            .execute(),
        ])
      : [[], []];
  const isOrganiser = new Set(organisers.map((o) => o.user_id));
  const invited = new Map(invitations.map((i) => [i.user_id, i.status as 'pending' | 'declined']));
  return users.map((u) => ({
    id: u.id,
    handle: u.handle,
    displayName: u.display_name,
    role: u.role,
    organiser: isOrganiser.has(u.id),
    invitation: invited.get(u.id) ?? null,
  }));
}

/** Those invited to co-organise an event who have not answered yet. */
export async function pendingOrganisers(db: Executor, eventId: string): Promise<PersonRow[]> {
  const rows = await db
    .selectFrom('event_organiser_invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['u.id', 'u.handle', 'u.display_name'])
    .where('i.event_id', '=', eventId)
    .where('i.status', '=', 'pending')
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.display_name }));
}

export interface InvitationRow {
  eventId: string;
  invitedBy: PersonRow | null;
  invitedAt: Date;
}

function invitationQuery(db: Executor) {
  return db
    .selectFrom('event_organiser_invitations as i')
    .leftJoin('users as by', 'by.id', 'i.invited_by')
    .select([
      'i.event_id',
      'i.created_at',
      'by.id as by_id',
      'by.handle as by_handle',
      'by.display_name as by_display_name',
    ])
    .where('i.status', '=', 'pending');
}

function toInvitation(r: {
  event_id: string;
  created_at: Date;
  by_id: string | null;
  by_handle: string | null;
  by_display_name: string | null;
}): InvitationRow {
  return {
    eventId: r.event_id,
    invitedBy: r.by_id ? { id: r.by_id, handle: r.by_handle ?? '', displayName: r.by_display_name ?? '' } : null,
    invitedAt: r.created_at,
  };
}

/** A member's invitation to co-organise an event, while it waits for their answer. */
export async function pendingInvitation(
  db: Executor,
  eventId: string,
  userId: string,
): Promise<InvitationRow | undefined> {
  const row = await invitationQuery(db)
    .where('i.event_id', '=', eventId)
    .where('i.user_id', '=', userId)
    .executeTakeFirst();
  return row && toInvitation(row);
}

/** A member's unanswered invitations to events not over yet, newest first. */
export async function pendingInvitationsOf(
  db: Executor,
  userId: string,
): Promise<(InvitationRow & { event: EventRow })[]> {
  const rows = await invitationQuery(db)
    .where('i.user_id', '=', userId)
    .orderBy('i.created_at', 'desc')
    .limit(100)
    .execute();
  if (!rows.length) return [];
  const events = await eventQuery(db)
    .where(
      'e.id',
      'in',
      rows.map((r) => r.event_id),
    )
    .where('e.ends_at', '>', sql<Date>`now()`)
    .execute();
  const byId = new Map(events.map((e) => [e.id, toEventRow(e)]));
  return rows.flatMap((r) => {
    const event = byId.get(r.event_id);
    return event ? [{ ...toInvitation(r), event }] : [];
  });
}

/** Accepts a pending invitation: the member becomes an organiser. False when there was none. */
export async function acceptInvitation(db: Kysely<Schema>, eventId: string, userId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .deleteFrom('event_organiser_invitations')
      .where('event_id', '=', eventId)
      .where('user_id', '=', userId)
      .where('status', '=', 'pending')
      .returning('user_id')
      .executeTakeFirst();
    if (!taken) return false;
    await trx
      .insertInto('event_organisers')
      .values({ event_id: eventId, user_id: userId })
      .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
      .execute();
    return true;
  });
}

/** Declines a pending invitation (kept, so the event cannot ask again). False when there was none. */
export async function declineInvitation(db: Executor, eventId: string, userId: string): Promise<boolean> {
  const row = await db
    .updateTable('event_organiser_invitations')
    .set({ status: 'declined', answered_at: sql<Date>`now()` })
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
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
    return await db.transaction().execute(async (trx) => {
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
      await trx.insertInto('event_organisers').values({ event_id: row.id, user_id: values.createdBy }).execute();
      const invitees = [...new Set(values.inviteeIds)].filter((userId) => userId !== values.createdBy);
      if (invitees.length) {
        await trx
          .insertInto('event_organiser_invitations')
          .values(invitees.map((userId) => ({ event_id: row.id, user_id: userId, invited_by: values.createdBy })))
          .execute();
      }
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

async function lockEvent(trx: Transaction<Schema>, slug: string) {
  const row = await eventQuery(trx).where('e.slug', '=', slug).forUpdate().executeTakeFirst();
  return row && toEventRow(row);
}

/** Recounts the RSVPs of an event (under its lock) and stores the counts. */
async function recount(trx: Transaction<Schema>, eventId: string) {
  const rows = await trx
    .selectFrom('rsvps')
    .select(['status', sql<string>`count(*)`.as('n')])
    .where('event_id', '=', eventId)
    .groupBy('status')
    .execute();
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const counts = { goingCount: n('going'), waitlistCount: n('waitlisted'), interestedCount: n('interested') };
  await trx
    .updateTable('events')
    .set({
      going_count: counts.goingCount,
      waitlist_count: counts.waitlistCount,
      interested_count: counts.interestedCount,
    })
    .where('id', '=', eventId)
    .execute();
  return counts;
}

/** Moves the first `seats` people of the waitlist to going; returns their user ids. */
async function promote(trx: Transaction<Schema>, eventId: string, seats: number): Promise<string[]> {
  if (seats <= 0) return [];
  const { rows } = await sql<{ user_id: string }>`
    update rsvps set status = 'going', decided_order = nextval('rsvp_decisions'),
      decided_at = clock_timestamp(), updated_at = now(), checked_in_at = null, checked_in_by = null
    where id in (
      select id from rsvps where event_id = ${eventId} and status = 'waitlisted'
      order by decided_order limit ${seats}
    )
    returning user_id
  `.execute(trx);
  return rows.map((r) => r.user_id);
}

export interface Counts {
  goingCount: number;
  waitlistCount: number;
  interestedCount: number;
}

export type RsvpChoice = 'going' | 'interested' | 'declined';

export type RsvpOutcome =
  | {
      kind: 'ok';
      event: EventRow;
      status: string;
      previous: string | null;
      listed: boolean;
      ticketCode: string;
      position: number | null;
      counts: Counts;
      promoted: string[];
    }
  | { kind: 'missing' }
  | { kind: 'cancelled' }
  | { kind: 'closed' };

export interface RsvpEffects {
  activity: (event: EventRow, outcome: { status: string; counts: Counts; promoted: string[] }) => NewActivity;
  jobs: (event: EventRow, promoted: string[]) => NewJob[];
}

/**
 * Sets one member's RSVP. `going` becomes `waitlisted` when the event is full; leaving `going`
 * promotes exactly one person from the waitlist (while the event is on and not over: seatsMove).
 * New `going`/`interested` answers are refused once RSVPs close (deadline, end, cancellation);
 * declining is always possible.
 */
export async function applyRsvp(db: Kysely<Schema>, input: RsvpInput, effects: RsvpEffects): Promise<RsvpOutcome> {
  return db.transaction().execute((trx) => decideOne(trx, input, effects));
}

export interface RsvpInput {
  slug: string;
  userId: string;
  choice: RsvpChoice;
  listed: boolean | undefined;
  newTicketCode: string;
}

export interface RsvpRequest {
  input: RsvpInput;
  effects: RsvpEffects;
}

/**
 * Decides several members' RSVPs to one event in one transaction, in the order given: one lock and
 * one commit for the lot instead of one each, which is what a rush of sign-ups needs (the commit's
 * disk flush, taken while holding the event's lock, is otherwise paid once per member). A run of
 * first answers (members with no RSVP yet) is written together, seats given in order; any other
 * answer is decided on its own exactly as applyRsvp would. The outcomes are those the same requests
 * would have had one after the other.
 */
export async function applyRsvps(db: Kysely<Schema>, slug: string, requests: RsvpRequest[]): Promise<RsvpOutcome[]> {
  return db.transaction().execute(async (trx) => {
    const outcomes: RsvpOutcome[] = [];
    while (outcomes.length < requests.length) {
      const rest = requests.slice(outcomes.length);
      const event = await lockEvent(trx, slug);
      if (!event) return requests.map(() => ({ kind: 'missing' }) as const);
      const answered = await trx
        .selectFrom('rsvps')
        .select('user_id')
        .where('event_id', '=', event.id)
        .where('user_id', 'in', [...new Set(rest.map((r) => r.input.userId))])
        .execute();
      const taken = new Set(answered.map((r) => r.user_id));
      const run: RsvpRequest[] = [];
      for (const request of rest) {
        if (taken.has(request.input.userId)) break;
        taken.add(request.input.userId);
        run.push(request);
      }
      if (run.length) outcomes.push(...(await decideFirstAnswers(trx, event, run)));
      else outcomes.push(await decideOne(trx, rest[0]!.input, rest[0]!.effects));
    }
    return outcomes;
  });
}

/** First answers of members to an event, under its lock, in order; written in a few statements. */
async function decideFirstAnswers(
  trx: Transaction<Schema>,
  event: EventRow,
  run: RsvpRequest[],
): Promise<RsvpOutcome[]> {
  const now = Date.now();
  const closed = (event.rsvpDeadline !== null && event.rsvpDeadline.getTime() < now) || event.endsAt.getTime() < now;
  const counts: Counts = pickCounts(event);
  const decided: { request: RsvpRequest; status: string; listed: boolean; position: number | null; counts: Counts }[] =
    [];
  const outcomes: (RsvpOutcome | number)[] = [];
  for (const request of run) {
    const { choice } = request.input;
    const joining = choice !== 'declined';
    if (joining && event.status === 'cancelled') {
      outcomes.push({ kind: 'cancelled' });
      continue;
    }
    if (joining && closed) {
      outcomes.push({ kind: 'closed' });
      continue;
    }
    let status: string = choice;
    if (choice === 'going') {
      status = event.capacity === null || counts.goingCount < event.capacity ? 'going' : 'waitlisted';
      if (status === 'going') counts.goingCount += 1;
      else counts.waitlistCount += 1;
    } else if (choice === 'interested') counts.interestedCount += 1;
    outcomes.push(decided.length);
    decided.push({
      request,
      status,
      listed: request.input.listed ?? true,
      // New answers join the end of the waitlist: every earlier decision has committed (the lock).
      position: status === 'waitlisted' ? counts.waitlistCount : null,
      counts: { ...counts },
    });
  }
  if (!decided.length) return outcomes as RsvpOutcome[];

  // Decision order: sequence values taken together, handed out in the order of the requests.
  const { rows: orders } = await sql<{ v: string }>`
    select nextval('rsvp_decisions') as v from generate_series(1, ${decided.length}::int)
  `.execute(trx);
  const ordered = orders.map((o) => BigInt(o.v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inserted = await trx
    .insertInto('rsvps')
    .values(
      decided.map((d, i) => ({
        event_id: event.id,
        user_id: d.request.input.userId,
        status: d.status,
        listed: d.listed,
        ticket_code: d.request.input.newTicketCode,
        decided_order: ordered[i]!.toString(),
      })),
    )
    .returning(['user_id', 'ticket_code'])
    .execute();
  const tickets = new Map(inserted.map((r) => [r.user_id, r.ticket_code]));
  const stored = await recount(trx, event.id);
  if (stored.goingCount !== counts.goingCount || stored.waitlistCount !== counts.waitlistCount) {
    // Never expected: the counts on the locked row were stale. Undo rather than answer wrongly.
    throw new Error(`RSVP counts of event ${event.id} disagree with its rows`);
  }
  await enqueueJobs(
    trx,
    decided.flatMap((d) => d.request.effects.jobs(event, [])),
  );
  await insertActivities(
    trx,
    decided.map((d) => d.request.effects.activity(event, { status: d.status, counts: d.counts, promoted: [] })),
  );
  return outcomes.map((o) => {
    if (typeof o !== 'number') return o;
    const d = decided[o]!;
    return {
      kind: 'ok',
      event,
      status: d.status,
      previous: null,
      listed: d.listed,
      ticketCode: tickets.get(d.request.input.userId)!,
      position: d.position,
      counts: d.counts,
      promoted: [],
    };
  });
}

async function decideOne(trx: Transaction<Schema>, input: RsvpInput, effects: RsvpEffects): Promise<RsvpOutcome> {
  const event = await lockEvent(trx, input.slug);
  if (!event) return { kind: 'missing' };
  const current = await trx
    .selectFrom('rsvps')
    .select(['status', 'listed', 'ticket_code'])
    .where('event_id', '=', event.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst();
  const joining = input.choice !== 'declined';
  if (joining && event.status === 'cancelled') return { kind: 'cancelled' };
  const now = Date.now();
  const closed = (event.rsvpDeadline !== null && event.rsvpDeadline.getTime() < now) || event.endsAt.getTime() < now;
  // Closed RSVPs: no one joins, but those already in may stay as they are or leave.
  const keeps = current && input.choice === 'going' && ['going', 'waitlisted'].includes(current.status);
  if (joining && closed && !keeps) return { kind: 'closed' };

  let status: string = input.choice;
  if (input.choice === 'going') {
    if (current && (current.status === 'going' || current.status === 'waitlisted')) status = current.status;
    else status = event.capacity === null || event.goingCount < event.capacity ? 'going' : 'waitlisted';
  }
  const listed = input.listed ?? current?.listed ?? true;
  const changed = current?.status !== status;
  let ticketCode = current?.ticket_code ?? input.newTicketCode;
  // Leaving `going` voids the ticket: its check-in is forgotten and its code replaced, so a rejoin
  // starts unchecked with a ticket of its own and the old code (shown, printed) admits no one.
  const leaving = current?.status === 'going' && status !== 'going';
  if (!current) {
    const inserted = await trx
      .insertInto('rsvps')
      .values({
        event_id: event.id,
        user_id: input.userId,
        status,
        listed,
        ticket_code: input.newTicketCode,
        decided_order: sql<string>`nextval('rsvp_decisions')`,
      })
      .returning('ticket_code')
      .executeTakeFirstOrThrow();
    ticketCode = inserted.ticket_code;
  } else if (changed || listed !== current.listed) {
    const updated = await trx
      .updateTable('rsvps')
      .set({
        status,
        listed,
        updated_at: sql<Date>`now()`,
        ...(changed
          ? {
              decided_order: sql<string>`nextval('rsvp_decisions')`,
              decided_at: sql<Date>`clock_timestamp()`,
              checked_in_at: null,
              checked_in_by: null,
            }
          : {}),
        ...(leaving ? { ticket_code: input.newTicketCode } : {}),
      })
      .where('event_id', '=', event.id)
      .where('user_id', '=', input.userId)
      .returning('ticket_code')
      .executeTakeFirstOrThrow();
    ticketCode = updated.ticket_code;
  }
  const promoted = leaving && seatsMove(event, event.endsAt) ? await promote(trx, event.id, 1) : [];
  const counts = changed ? await recount(trx, event.id) : pickCounts(event);
  if (changed) {
    await enqueueJobs(trx, effects.jobs(event, promoted));
    await insertActivity(trx, effects.activity(event, { status, counts, promoted }));
  }
  const position = status === 'waitlisted' ? await waitlistPosition(trx, event.id, input.userId) : null;
  return {
    kind: 'ok',
    event,
    status,
    previous: current?.status ?? null,
    listed,
    ticketCode,
    position,
    counts,
    promoted,
  };
}

/**
 * Whether a freed or added seat goes to the head of the waitlist: only while the event is on and
 * not over (`endsAt`, after an edit). A cancelled or past event keeps its waitlist as it was: a
 * seat there is no use to anyone, and "a seat opened" would be a false promise.
 */
function seatsMove(event: Pick<EventRow, 'status'>, endsAt: Date, now = Date.now()): boolean {
  return event.status === 'published' && endsAt.getTime() > now;
}

function pickCounts(event: EventRow): Counts {
  return { goingCount: event.goingCount, waitlistCount: event.waitlistCount, interestedCount: event.interestedCount };
}

export async function waitlistPosition(db: Executor, eventId: string, userId: string): Promise<number | null> {
  const { rows } = await sql<{ position: string | null }>`
    select (select count(*) from rsvps w where w.event_id = r.event_id and w.status = 'waitlisted'
      and w.decided_order <= r.decided_order) as position
    from rsvps r where r.event_id = ${eventId} and r.user_id = ${userId} and r.status = 'waitlisted'
  `.execute(db);
  const value = rows[0]?.position;
  return value ? Number(value) : null;
}

export interface RsvpRow {
  status: string;
  listed: boolean;
  ticketCode: string;
  checkedInAt: Date | null;
  position: number | null;
}

export async function findRsvp(db: Executor, eventId: string, userId: string): Promise<RsvpRow | undefined> {
  const row = await db
    .selectFrom('rsvps')
    .select(['status', 'listed', 'ticket_code', 'checked_in_at'])
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    status: row.status,
    listed: row.listed,
    ticketCode: row.ticket_code,
    checkedInAt: row.checked_in_at,
    position: row.status === 'waitlisted' ? await waitlistPosition(db, eventId, userId) : null,
  };
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
  effects: {
    bumpsSequence: (before: EventRow) => boolean;
    activity: (before: EventRow, after: EventRow, promoted: string[]) => NewActivity;
    jobs: (before: EventRow, after: EventRow, promoted: string[]) => Promise<NewJob[]> | NewJob[];
    /** The activity telling those newly invited to co-organise. */
    invited: (after: EventRow, userIds: string[]) => NewActivity;
  },
): Promise<UpdateOutcome> {
  return db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
    const before = await lockEvent(trx, slug);
    if (!before) return { kind: 'missing' };
    if (before.status === 'cancelled') return { kind: 'cancelled' };
    if (patch.capacity !== undefined && patch.capacity !== null && patch.capacity < before.goingCount) {
      return { kind: 'capacity_below_going', going: before.goingCount };
    }
    const set: Record<string, unknown> = { updated_at: sql`now()` };
    const columns: [keyof EventValues, string][] = [
      ['title', 'title'],
      ['description', 'description'],
      ['descriptionHtml', 'description_html'],
      ['startsAt', 'starts_at'],
      ['endsAt', 'ends_at'],
      ['timezone', 'timezone'],
      ['mode', 'mode'],
      ['venue', 'venue'],
      ['address', 'address'],
      ['onlineUrl', 'online_url'],
      ['capacity', 'capacity'],
      ['rsvpDeadline', 'rsvp_deadline'],
      ['countries', 'countries'],
      ['themes', 'themes'],
    ];
    for (const [key, column] of columns) if (patch[key] !== undefined) set[column] = patch[key];
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
    const promoted = seatsMove(before, patch.endsAt ?? before.endsAt) ? await promote(trx, before.id, seats) : [];
    const counts = await recount(trx, before.id);
    const after = toEventRow((await eventQuery(trx).where('e.id', '=', before.id).executeTakeFirstOrThrow())!);
    await enqueueJobs(trx, await effects.jobs(before, after, promoted));
    await insertActivity(trx, effects.activity(before, after, promoted));
    if (invited.length) await insertActivity(trx, effects.invited(after, invited));
    return { kind: 'ok', before, after, promoted, invited, counts };
  });
}

/**
 * The organisers an edit names (`ids`, with the creator always kept): organisers and unanswered
 * invitations left out are removed, those still named stay as they are, and everyone else named
 * is invited (never again after declining: that row stays), except the one editing (`by`), whose
 * naming of themselves is their consent. Returns who was newly invited.
 */
async function setOrganisers(trx: Transaction<Schema>, event: EventRow, ids: string[], by: string): Promise<string[]> {
  const keep = [...new Set([event.createdBy, ...ids])];
  await trx.deleteFrom('event_organisers').where('event_id', '=', event.id).where('user_id', 'not in', keep).execute();
  await trx
    .deleteFrom('event_organiser_invitations')
    .where('event_id', '=', event.id)
    .where('status', '=', 'pending')
    .where('user_id', 'not in', keep)
    .execute();
  const organisers = await trx
    .selectFrom('event_organisers')
    .select('user_id')
    .where('event_id', '=', event.id)
    .execute();
  const already = new Set(organisers.map((o) => o.user_id));
  if (keep.includes(by) && !already.has(by)) {
    await trx.insertInto('event_organisers').values({ event_id: event.id, user_id: by }).execute();
    await trx
      .deleteFrom('event_organiser_invitations')
      .where('event_id', '=', event.id)
      .where('user_id', '=', by)
      .execute();
    already.add(by);
  }
  const invite = keep.filter((userId) => !already.has(userId));
  if (!invite.length) return [];
  const inserted = await trx
    .insertInto('event_organiser_invitations')
    .values(invite.map((userId) => ({ event_id: event.id, user_id: userId, invited_by: by })))
    .onConflict((oc) => oc.columns(['event_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return inserted.map((r) => r.user_id);
}

export async function cancelEvent(
  db: Kysely<Schema>,
  slug: string,
  effects: { activity: (event: EventRow) => NewActivity; jobs: (event: EventRow, userIds: string[]) => NewJob[] },
): Promise<EventRow | 'missing' | 'already' | 'over'> {
  return db.transaction().execute(async (trx) => {
    const event = await lockEvent(trx, slug);
    if (!event) return 'missing';
    if (event.status === 'cancelled') return 'already';
    // An event that took place is not cancelled after the fact (nor is everyone told it was).
    if (event.endsAt.getTime() <= Date.now()) return 'over';
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

/** User ids with these statuses (for messages and notices). */
export async function attendeeIds(db: Executor, eventId: string, statuses: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('rsvps')
    .select('user_id')
    .where('event_id', '=', eventId)
    .where('status', 'in', statuses)
    .orderBy('decided_order')
    .execute();
  return rows.map((r) => r.user_id);
}

export interface AttendeeRow {
  userId: string;
  handle: string;
  displayName: string;
  email: string;
  status: string;
  listed: boolean;
  ticketCode: string;
  checkedInAt: Date | null;
  decidedAt: Date;
  createdAt: Date;
  position: number | null;
}

/** Everyone with an RSVP: going first, then the waitlist in order, then interested and declined. */
export async function listAttendees(db: Executor, eventId: string): Promise<AttendeeRow[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'r.user_id',
      'u.handle',
      'u.display_name',
      'u.email',
      'r.status',
      'r.listed',
      'r.ticket_code',
      'r.checked_in_at',
      'r.decided_at',
      'r.created_at',
      sql<string | null>`case when r.status = 'waitlisted' then row_number() over (
        partition by r.status order by r.decided_order) end`.as('position'),
    ])
    .where('r.event_id', '=', eventId)
    .orderBy(sql`case r.status when 'going' then 0 when 'waitlisted' then 1 when 'interested' then 2 else 3 end`)
    .orderBy('r.decided_order')
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    handle: r.handle,
    displayName: r.display_name,
    email: r.email,
    status: r.status,
    listed: r.listed,
    ticketCode: r.ticket_code,
    checkedInAt: r.checked_in_at,
    decidedAt: r.decided_at,
    createdAt: r.created_at,
    position: r.position === null ? null : Number(r.position),
  }));
}

export async function listedGoing(db: Executor, eventId: string): Promise<{ handle: string; displayName: string }[]> {
  const rows = await db
    .selectFrom('rsvps as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.handle', 'u.display_name'])
    .where('r.event_id', '=', eventId)
    .where('r.status', '=', 'going')
    .where('r.listed', '=', true)
    .orderBy('r.decided_order')
    .limit(500)
    .execute();
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name }));
}

export type CheckinOutcome =
  | { kind: 'ok'; person: PersonRow; checkedInAt: Date; already: boolean; checkedIn: number; going: number }
  | { kind: 'unknown' }
  | { kind: 'not_going'; status: string; person: PersonRow };

export async function checkIn(
  db: Kysely<Schema>,
  eventId: string,
  who: { code: string } | { handle: string },
  organiserId: string,
): Promise<CheckinOutcome> {
  return db.transaction().execute(async (trx): Promise<CheckinOutcome> => {
    let query = trx
      .selectFrom('rsvps as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.status', 'r.checked_in_at', 'u.id as user_id', 'u.handle', 'u.display_name'])
      .where('r.event_id', '=', eventId)
      .forUpdate('r');
    query = 'code' in who ? query.where('r.ticket_code', '=', who.code) : query.where('u.handle', '=', who.handle);
    const row = await query.executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    const person = { id: row.user_id, handle: row.handle, displayName: row.display_name };
    if (row.status !== 'going') return { kind: 'not_going', status: row.status, person };
    let checkedInAt = row.checked_in_at;
    const already = checkedInAt !== null;
    if (!checkedInAt) {
      const updated = await trx
        .updateTable('rsvps')
        .set({ checked_in_at: sql<Date>`now()`, checked_in_by: organiserId })
        .where('id', '=', row.id)
        .returning('checked_in_at')
        .executeTakeFirstOrThrow();
      checkedInAt = updated.checked_in_at!;
    }
    const counts = await trx
      .selectFrom('rsvps')
      .select([
        sql<string>`count(*) filter (where checked_in_at is not null)`.as('checked'),
        sql<string>`count(*)`.as('going'),
      ])
      .where('event_id', '=', eventId)
      .where('status', '=', 'going')
      .executeTakeFirstOrThrow();
    return {
      kind: 'ok',
      person,
      checkedInAt,
      already,
      checkedIn: Number(counts.checked),
      going: Number(counts.going),
    };
  });
}

export async function checkedInCount(db: Executor, eventId: string): Promise<number> {
  const row = await db
    .selectFrom('rsvps')
    .select(sql<string>`count(*)`.as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'going')
    .where('checked_in_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function enqueue(db: Executor, jobs: NewJob[]): Promise<void> {
  await enqueueJobs(db, jobs);
}

export interface Recipient {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  handle: string;
}

export async function recipient(db: Executor, userId: string): Promise<Recipient | undefined> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale', 'handle'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return r && { id: r.id, email: r.email, displayName: r.display_name, locale: r.locale, handle: r.handle };
}

/** The events a member is going to (or waitlisted for), for their calendar feed. */
export async function eventsOf(db: Executor, userId: string, statuses: string[]): Promise<EventRow[]> {
  const rows = await eventQuery(db)
    .innerJoin('rsvps as r', 'r.event_id', 'e.id')
    .where('r.user_id', '=', userId)
    .where('r.status', 'in', statuses)
    .where('e.ends_at', '>', sql<Date>`now() - interval '90 days'`)
    .orderBy('e.starts_at')
    .limit(500)
    .execute();
  return rows.map(toEventRow);
}

export async function setCalendarToken(db: Executor, userId: string, tokenHash: string): Promise<void> {
  await db
    .insertInto('calendar_tokens')
    .values({ user_id: userId, token_hash: tokenHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: sql`now()` }))
    .execute();
}

export async function deleteCalendarToken(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('calendar_tokens').where('user_id', '=', userId).execute();
}

export async function userForCalendarToken(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('calendar_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.user_id;
}

export async function hasCalendarToken(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('calendar_tokens').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function eventIdForSlug(db: Executor, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}

/**
 * The day-before reminders of one start time of an event, decided once, under the event's lock
 * (so an edit moving it or a cancellation is either fully before or fully after): when `due` says
 * the event still starts then, one email job per member going and one activity naming those whose
 * job is new (their notifications). Run again, it adds nothing. Returns who was added.
 */
export async function scheduleReminders(
  db: Kysely<Schema>,
  eventId: string,
  effects: {
    due: (event: EventRow) => boolean;
    jobs: (event: EventRow, userIds: string[]) => NewJob[];
    activity: (event: EventRow, userIds: string[]) => NewActivity;
  },
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const row = await eventQuery(trx).where('e.id', '=', eventId).forUpdate().executeTakeFirst();
    const event = row && toEventRow(row);
    if (!event || !effects.due(event)) return [];
    const jobs = effects.jobs(event, await attendeeIds(trx, event.id, ['going']));
    const added = new Set(await enqueueJobs(trx, jobs));
    const fresh = jobs.filter((j) => added.has(j.key)).map((j) => String(j.payload.userId));
    if (fresh.length) await insertActivity(trx, effects.activity(event, fresh));
    return fresh;
  });
}

export interface EmailClaim {
  kind: string;
  key: string;
  eventId: string;
  userId: string;
}

/** Takes the right to send one event email; false when it was taken before (sent, or being sent). */
export async function claimEmail(db: Executor, claim: EmailClaim): Promise<boolean> {
  const row = await db
    .insertInto('event_emails')
    .values({ kind: claim.kind, key: claim.key, event_id: claim.eventId, user_id: claim.userId })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markEmailSent(db: Executor, kind: string, key: string): Promise<void> {
  await db
    .updateTable('event_emails')
    .set({ sent_at: sql<Date>`now()` })
    .where('kind', '=', kind)
    .where('key', '=', key)
    .execute();
}

/** Gives a claim back when the mail server refused the email, so a retry may send it. */
export async function releaseEmail(db: Executor, kind: string, key: string): Promise<void> {
  await db
    .deleteFrom('event_emails')
    .where('kind', '=', kind)
    .where('key', '=', key)
    .where('sent_at', 'is', null)
    .execute();
}
