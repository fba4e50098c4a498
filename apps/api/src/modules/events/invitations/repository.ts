/**
 * An event's organisers and its invitations to co-organise: named by an organiser, a member
 * organises the event only once they accept; declining is kept, so the event cannot ask again.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import { camelRow } from '../rows.ts';
import { eventQuery, toEventRow, type EventRow, type PersonRow } from '../repository.ts';

export async function eventOrganisers(db: Executor, eventId: string): Promise<PersonRow[]> {
  const rows = await db
    .selectFrom('event_organisers as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['u.id', 'u.handle', 'u.display_name'])
    .where('o.event_id', '=', eventId)
    .orderBy('u.display_name')
    .execute();
  return rows.map(camelRow);
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
    .where('deleted_at', 'is', null)
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
    ...camelRow(u),
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
  return rows.map(camelRow);
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
  now: Date,
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
    .where('e.ends_at', '>', now)
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

/**
 * A new event's organisers: its creator organises it; the members in `inviteeIds` are invited to
 * co-organise it (they organise it once they accept: acceptInvitation).
 */
export async function addOrganisers(
  trx: Transaction<Schema>,
  eventId: string,
  createdBy: string,
  inviteeIds: string[],
): Promise<void> {
  await trx.insertInto('event_organisers').values({ event_id: eventId, user_id: createdBy }).execute();
  const invitees = [...new Set(inviteeIds)].filter((userId) => userId !== createdBy);
  if (invitees.length) {
    await trx
      .insertInto('event_organiser_invitations')
      .values(invitees.map((userId) => ({ event_id: eventId, user_id: userId, invited_by: createdBy })))
      .execute();
  }
}

/**
 * The organisers an edit names (`ids`, with the creator always kept): organisers and unanswered
 * invitations left out are removed, those still named stay as they are, and everyone else named
 * is invited (never again after declining: that row stays), except the one editing (`by`), whose
 * naming of themselves is their consent. Returns who was newly invited.
 */
export async function setOrganisers(
  trx: Transaction<Schema>,
  event: EventRow,
  ids: string[],
  by: string,
): Promise<string[]> {
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
