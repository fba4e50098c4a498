/** Events: who may do what, the rules of RSVPs, and the mapping to API shapes. */
import { randomUUID } from 'node:crypto';
import type { Role } from '@opsi/contracts/accounts';
import type {
  AttendeeList,
  CheckinBody,
  CheckinResult,
  EventDetail,
  EventList,
  EventListQuery,
  EventMessage,
  EventMode,
  EventPatch,
  EventSummary,
  NewEvent,
  OrganiserInvitationList,
  RsvpBody,
  RsvpResult,
} from '@opsi/contracts/events';
import type { FieldProblem } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { sessionIdOf, newSessionToken } from '../../plugins/session.ts';
import type { NewActivity } from '../../platform/outbox/repository.ts';
import type { NewJob } from '../../platform/jobs/repository.ts';
import { unknownCountries, unknownThemes } from '../reference/service.ts';
import { slugify } from '../cases/service.ts';
import * as repo from './repository.ts';
import { events as demoEvents } from '../../../../../db/seed/events.ts';

export interface EventActor {
  id: string;
  role: Role;
}

const CREATORS: Role[] = ['organiser', 'admin'];
const DAY_MS = 24 * 60 * 60 * 1000;
const TICKET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newTicketCode(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => TICKET_ALPHABET[b % TICKET_ALPHABET.length]).join('');
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

function seatsLeft(e: repo.EventRow): number | null {
  return e.capacity === null ? null : Math.max(0, e.capacity - e.goingCount);
}

export function toSummary(e: repo.EventRow): EventSummary {
  return {
    slug: e.slug,
    title: e.title,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    timezone: e.timezone,
    mode: e.mode as EventMode,
    venue: e.venue,
    countries: e.countries,
    themes: e.themes,
    capacity: e.capacity,
    goingCount: e.goingCount,
    waitlistCount: e.waitlistCount,
    interestedCount: e.interestedCount,
    seatsLeft: seatsLeft(e),
    rsvpDeadline: e.rsvpDeadline?.toISOString() ?? null,
    status: e.status as 'published' | 'cancelled',
  };
}

export function rsvpOpen(e: repo.EventRow, now = Date.now()): boolean {
  return (
    e.status === 'published' && e.endsAt.getTime() > now && (e.rsvpDeadline === null || e.rsvpDeadline.getTime() > now)
  );
}

/**
 * When the day-before reminders go out: 24 hours before the start (or now, if that has passed).
 * One job per start time: when an event moves, the new time gets its own job and the old one
 * finds the event no longer starts then and does nothing (events/notices.ts); moving it back to a
 * time whose job has already run reschedules that job (its emails are never sent twice).
 */
function reminderJob(e: { id: string; startsAt: Date }): NewJob[] {
  if (e.startsAt.getTime() < Date.now()) return [];
  const at = new Date(Math.max(Date.now(), e.startsAt.getTime() - DAY_MS));
  const startsAt = e.startsAt.toISOString();
  return [
    {
      kind: 'event.reminders',
      key: `${e.id}:${startsAt}`,
      runAt: at,
      payload: { eventId: e.id, startsAt },
      reschedule: true,
    },
  ];
}

function emailJobs(kind: string, eventId: string, userIds: string[], key: string, payload = {}): NewJob[] {
  return userIds.map((userId) => ({
    kind,
    key: `${eventId}:${key}:${userId}`,
    runAt: new Date(),
    payload: { eventId, userId, ...payload },
  }));
}

/** RSVPs decided together at most (one transaction); the rest wait for the next round. */
const RSVP_BATCH = 250;

/**
 * RSVPs to one event are decided one transaction at a time anyway (the event's lock); while one
 * runs, the answers that arrive queue up on this node and are then decided together, in arrival
 * order, in one transaction (repo.applyRsvps). A failed batch is retried one answer at a time, so
 * one bad answer never fails the others.
 */
function createRsvpQueue(db: Database['kysely']) {
  interface Waiting {
    request: repo.RsvpRequest;
    resolve: (outcome: repo.RsvpOutcome) => void;
    reject: (error: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();

  async function drain(slug: string, queue: Waiting[]) {
    while (queue.length) {
      const batch = queue.splice(0, RSVP_BATCH);
      try {
        const outcomes = await repo.applyRsvps(
          db,
          slug,
          batch.map((w) => w.request),
        );
        batch.forEach((w, i) => w.resolve(outcomes[i]!));
      } catch {
        for (const w of batch) {
          await repo.applyRsvp(db, w.request.input, w.request.effects).then(w.resolve, w.reject);
        }
      }
    }
    queues.delete(slug);
  }

  return {
    submit(slug: string, request: repo.RsvpRequest): Promise<repo.RsvpOutcome> {
      return new Promise((resolve, reject) => {
        const queue = queues.get(slug);
        if (queue) return void queue.push({ request, resolve, reject });
        const fresh = [{ request, resolve, reject }];
        queues.set(slug, fresh);
        void drain(slug, fresh);
      });
    },
  };
}

export function createEventsService(database: Database, publicOrigin: string) {
  const db = database.kysely;
  const rsvpQueue = createRsvpQueue(db);

  async function load(slug: string): Promise<repo.EventRow> {
    const e = await repo.findEvent(db, slug);
    if (!e) throw new AppError('not_found', `No event with slug "${slug}"`);
    return e;
  }

  /**
   * Admins manage every event; an organiser manages the events they organise, while they hold a
   * role that may organise. The role is the one on the user row, read on every request
   * (plugins/session.ts), so a member demoted to `member` (or `moderator`) loses every event at once,
   * though they stay named on it (given the role back, they have it back).
   */
  async function canManage(actor: EventActor | null, e: repo.EventRow): Promise<boolean> {
    if (!actor || !CREATORS.includes(actor.role)) return false;
    if (actor.role === 'admin') return true;
    return repo.isOrganiser(db, e.id, actor.id);
  }

  /** What a cancelled event refuses: edits, messages, check-ins (409, the status named). */
  function cancelledError(what: string): AppError {
    return new AppError('conflict', `This event was cancelled: ${what}`, [
      { field: 'status', message: 'the event was cancelled' },
    ]);
  }

  function refuseCancelled(e: repo.EventRow, what: string): void {
    if (e.status === 'cancelled') throw cancelledError(what);
  }

  async function managed(actor: EventActor | null, slug: string, verb: string): Promise<repo.EventRow> {
    if (!actor) throw new AppError('unauthorized', `Sign in to ${verb} this event`);
    const e = await load(slug);
    if (!(await canManage(actor, e))) throw new AppError('forbidden', `Only this event’s organisers can ${verb} it`);
    return e;
  }

  /**
   * Checks what the schema cannot: time zone, order of times, venue, references, and who may be
   * named co-organiser: a member with the role to organise (organiser or admin) who has not
   * declined this event's invitation. Those already organisers or invited, the creator and the
   * caller are not checked again (a demoted organiser still listed does not block the save; they
   * have no powers: canManage).
   */
  async function checkFields(
    input: Partial<NewEvent>,
    merged: { startsAt: Date; endsAt: Date; mode: string; venue: string; rsvpDeadline: Date | null },
    standing: { eventId: string | null; creatorId: string; actorId: string },
  ) {
    const problems: FieldProblem[] = [];
    if (input.timezone !== undefined && !validTimeZone(input.timezone))
      problems.push({ field: 'timezone', message: `timezone: "${input.timezone}" is not an IANA time zone` });
    if (merged.endsAt.getTime() <= merged.startsAt.getTime())
      problems.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
    if (merged.rsvpDeadline && merged.rsvpDeadline.getTime() > merged.endsAt.getTime())
      problems.push({ field: 'rsvpDeadline', message: 'rsvpDeadline must be before the end of the event' });
    if (merged.mode !== 'online' && !merged.venue.trim())
      problems.push({ field: 'venue', message: 'venue is required for an event in person or hybrid' });
    const [badCountries, badThemes, cases, people] = await Promise.all([
      unknownCountries(db, input.countries ?? []),
      unknownThemes(db, input.themes ?? []),
      repo.caseIdsForSlugs(db, input.caseSlugs ?? []),
      repo.organiserCandidates(db, standing.eventId, input.coOrganisers ?? []),
    ]);
    for (const c of badCountries) problems.push({ field: 'countries', message: `countries: "${c}" is not a country` });
    for (const t of badThemes) problems.push({ field: 'themes', message: `themes: "${t}" is not a theme` });
    for (const s of input.caseSlugs ?? [])
      if (!cases.has(s)) problems.push({ field: 'caseSlugs', message: `caseSlugs: no case "${s}"` });
    const byHandle = new Map(people.map((p) => [p.handle, p]));
    // `reason` and `value` let a client say which names were refused and why, in its own words.
    const refuse = (value: string, reason: string, message: string) =>
      problems.push({ field: 'coOrganisers', message: `coOrganisers: ${message}`, reason, value } as FieldProblem);
    for (const h of input.coOrganisers ?? []) {
      const person = byHandle.get(h);
      if (!person) refuse(h, 'unknown', `no member "${h}"`);
      else if (person.organiser || person.invitation === 'pending') continue;
      else if (person.id === standing.creatorId || person.id === standing.actorId) continue;
      else if (person.invitation === 'declined')
        refuse(h, 'declined', `"${h}" declined the invitation to co-organise this event`);
      else if (!CREATORS.includes(person.role as Role))
        refuse(h, 'cannot_organise', `"${h}" cannot organise events (only organisers and admins can)`);
    }
    if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
    return { caseIds: [...cases.values()], organiserIds: people.map((p) => p.id) };
  }

  function activity(verb: string, e: repo.EventRow, actorId: string | null, payload: object, isPublic: boolean) {
    return {
      verb,
      objectType: 'event',
      objectId: e.slug,
      actorId,
      countries: e.countries,
      themes: e.themes,
      isPublic,
      payload: { eventSlug: e.slug, eventId: e.id, title: e.title, ...payload },
    } satisfies NewActivity;
  }

  function rsvpActivity(
    e: repo.EventRow,
    actorId: string | null,
    o: { status: string; counts: repo.Counts; promoted: string[] },
  ) {
    return activity(
      'rsvp_changed',
      e,
      actorId,
      { ...o.counts, capacity: e.capacity, userId: actorId, status: o.status, promoted: o.promoted },
      false,
    );
  }

  /** Those newly invited to co-organise are told (notifications/service.ts: organiser_invitation). */
  function invitedActivity(e: repo.EventRow, actorId: string, invited: string[]) {
    return activity('organiser_invited', e, actorId, { invited }, false);
  }

  async function detail(e: repo.EventRow, viewer: EventActor | null): Promise<EventDetail> {
    const [organisers, cases, mine, manage, invitation] = await Promise.all([
      repo.eventOrganisers(db, e.id),
      repo.eventCases(db, e.id),
      viewer ? repo.findRsvp(db, e.id, viewer.id) : Promise.resolve(undefined),
      canManage(viewer, e),
      viewer ? repo.pendingInvitation(db, e.id, viewer.id) : Promise.resolve(undefined),
    ]);
    const creator = organisers.find((o) => o.id === e.createdBy) ?? (await repo.userById(db, e.createdBy));
    const going = mine?.status === 'going';
    const out: EventDetail = {
      ...toSummary(e),
      description: e.description,
      descriptionHtml: e.descriptionHtml,
      address: e.address,
      hasOnlineLink: e.onlineUrl !== null,
      organiser: { handle: creator?.handle ?? 'unknown', displayName: creator?.displayName ?? '' },
      organisers: organisers.map(person),
      cases,
      myRsvp: mine
        ? {
            status: mine.status as RsvpResult['status'],
            waitlistPosition: mine.position,
            listed: mine.listed,
            ticketCode: going ? mine.ticketCode : null,
            checkedInAt: mine.checkedInAt?.toISOString() ?? null,
          }
        : null,
      canManage: manage,
      rsvpOpen: rsvpOpen(e),
      sequence: e.sequence,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
    if (e.onlineUrl && (going || manage)) out.onlineUrl = e.onlineUrl;
    if (manage) out.pendingOrganisers = (await repo.pendingOrganisers(db, e.id)).map(person);
    if (invitation) {
      out.organiserInvitation = {
        invitedBy: invitation.invitedBy && person(invitation.invitedBy),
        invitedAt: invitation.invitedAt.toISOString(),
      };
    }
    return out;
  }

  return {
    load,
    detail,
    canManage,

    async list(query: EventListQuery): Promise<EventList> {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeCursor(query.cursor) : {};
      const rows = await repo.listEvents(
        db,
        {
          when: query.when ?? 'upcoming',
          from: query.from,
          to: query.to,
          country: query.country,
          theme: query.theme,
          mode: query.mode,
        },
        { afterId: cursor.afterId, limit: limit + 1 },
      );
      const page = rows.slice(0, limit);
      return {
        items: page.map(toSummary),
        nextCursor: rows.length > limit ? encodeCursor({ afterId: page[page.length - 1]!.id }) : null,
      };
    },

    async get(slug: string, viewer: EventActor | null): Promise<EventDetail> {
      return detail(await load(slug), viewer);
    },

    async create(actor: EventActor | null, input: NewEvent): Promise<EventDetail> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to create an event');
      if (!CREATORS.includes(actor.role))
        throw new AppError('forbidden', 'Only organisers and admins can create events');
      const startsAt = new Date(input.startsAt);
      const endsAt = new Date(input.endsAt);
      const rsvpDeadline = input.rsvpDeadline ? new Date(input.rsvpDeadline) : null;
      const venue = input.venue?.trim() ?? '';
      const { caseIds, organiserIds } = await checkFields(
        input,
        { startsAt, endsAt, mode: input.mode, venue, rsvpDeadline },
        { eventId: null, creatorId: actor.id, actorId: actor.id },
      );
      const inviteeIds = organiserIds.filter((id) => id !== actor.id);
      const description = input.description?.replaceAll('\u0000', '') ?? '';
      const values: repo.EventValues = {
        slug: input.slug ?? slugify(input.title),
        title: input.title.trim(),
        description,
        descriptionHtml: description ? renderMarkdown(description) : '',
        startsAt,
        endsAt,
        timezone: input.timezone,
        mode: input.mode,
        venue,
        address: input.address?.trim() ?? '',
        onlineUrl: input.onlineUrl ?? null,
        capacity: input.capacity ?? null,
        rsvpDeadline,
        countries: [...(input.countries ?? [])].sort(),
        themes: [...(input.themes ?? [])].sort(),
      };
      for (let attempt = 2; ; attempt += 1) {
        const result = await repo.insertEvent(
          db,
          { ...values, createdBy: actor.id, inviteeIds, caseIds },
          (id) => {
            const row = { ...values, id, status: 'published' } as repo.EventRow;
            return [
              activity('created', row, actor.id, { startsAt: values.startsAt.toISOString() }, true),
              ...(inviteeIds.length ? [invitedActivity(row, actor.id, inviteeIds)] : []),
            ];
          },
          (id) => reminderJob({ id, startsAt }),
        );
        if (result !== 'slug_taken') break;
        if (input.slug)
          throw new AppError('conflict', `The slug "${values.slug}" is taken`, [
            { field: 'slug', message: 'slug is taken' },
          ]);
        if (attempt > 50) throw new AppError('conflict', 'Could not find a free slug for this title; give one');
        values.slug = `${slugify(input.title).slice(0, 36)}-${attempt}`;
      }
      return detail(await load(values.slug), actor);
    },

    async update(actor: EventActor | null, slug: string, patch: EventPatch): Promise<EventDetail> {
      const current = await managed(actor, slug, 'edit');
      refuseCancelled(current, 'it can no longer be edited');
      const startsAt = patch.startsAt ? new Date(patch.startsAt) : current.startsAt;
      const endsAt = patch.endsAt ? new Date(patch.endsAt) : current.endsAt;
      const rsvpDeadline =
        patch.rsvpDeadline === undefined
          ? current.rsvpDeadline
          : patch.rsvpDeadline
            ? new Date(patch.rsvpDeadline)
            : null;
      const venue = patch.venue !== undefined ? patch.venue.trim() : current.venue;
      const mode = patch.mode ?? current.mode;
      const { caseIds, organiserIds } = await checkFields(
        patch,
        { startsAt, endsAt, mode, venue, rsvpDeadline },
        { eventId: current.id, creatorId: current.createdBy, actorId: actor!.id },
      );
      const description = patch.description?.replaceAll('\u0000', '');
      const values: Partial<repo.EventValues> & { organisers?: { ids: string[]; by: string }; caseIds?: string[] } = {
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(description !== undefined
          ? { description, descriptionHtml: description ? renderMarkdown(description) : '' }
          : {}),
        ...(patch.startsAt !== undefined ? { startsAt } : {}),
        ...(patch.endsAt !== undefined ? { endsAt } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
        ...(patch.venue !== undefined ? { venue } : {}),
        ...(patch.address !== undefined ? { address: patch.address.trim() } : {}),
        ...(patch.onlineUrl !== undefined ? { onlineUrl: patch.onlineUrl } : {}),
        ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
        ...(patch.rsvpDeadline !== undefined ? { rsvpDeadline } : {}),
        ...(patch.countries !== undefined ? { countries: [...patch.countries].sort() } : {}),
        ...(patch.themes !== undefined ? { themes: [...patch.themes].sort() } : {}),
        ...(patch.coOrganisers !== undefined ? { organisers: { ids: organiserIds, by: actor!.id } } : {}),
        ...(patch.caseSlugs !== undefined ? { caseIds } : {}),
      };
      // What attendees must hear about: a new time or place of an event still to come (the record
      // of one that is over is corrected quietly).
      const moved = (before: repo.EventRow) => {
        const changes: string[] = [];
        if ((values.endsAt ?? before.endsAt).getTime() <= Date.now()) return changes;
        if (values.startsAt && values.startsAt.getTime() !== before.startsAt.getTime()) changes.push('time');
        else if (values.endsAt && values.endsAt.getTime() !== before.endsAt.getTime()) changes.push('time');
        if (values.timezone !== undefined && values.timezone !== before.timezone && !changes.includes('time'))
          changes.push('time');
        if (
          (values.venue !== undefined && values.venue !== before.venue) ||
          (values.address !== undefined && values.address !== before.address) ||
          (values.mode !== undefined && values.mode !== before.mode) ||
          (values.onlineUrl !== undefined && values.onlineUrl !== before.onlineUrl)
        )
          changes.push('place');
        return changes;
      };
      const result = await repo.updateEvent(db, slug, values, {
        bumpsSequence: () => true,
        activity: (before, after, promoted) =>
          activity('updated', after, actor!.id, { changes: moved(before), promoted, ...pick(after) }, true),
        jobs: async (before, after, promoted) => {
          const changes = moved(before);
          const jobs: NewJob[] = [...emailJobs('email.rsvp_promoted', after.id, promoted, randomUUID())];
          if (changes.length && after.status === 'published') {
            const people = await repo.attendeeIds(db, after.id, ['going', 'waitlisted']);
            jobs.push(...emailJobs('email.event_changed', after.id, people, `seq${after.sequence}`, { changes }));
          }
          if (after.startsAt.getTime() !== before.startsAt.getTime()) jobs.push(...reminderJob(after));
          return jobs;
        },
        invited: (after, userIds) => invitedActivity(after, actor!.id, userIds),
      });
      if (result.kind === 'missing') throw new AppError('not_found', `No event with slug "${slug}"`);
      if (result.kind === 'cancelled') throw cancelledError('it can no longer be edited');
      if (result.kind === 'capacity_below_going') {
        const message = `capacity: ${result.going} people are going; capacity cannot be lower (nobody is removed)`;
        throw new AppError('rule_violation', message, [{ field: 'capacity', message }]);
      }
      return detail(result.after, actor);
    },

    async cancel(actor: EventActor | null, slug: string): Promise<EventDetail> {
      await managed(actor, slug, 'cancel');
      const result = await repo.cancelEvent(db, slug, {
        activity: (e) => activity('cancelled', e, actor!.id, pick(e), true),
        jobs: (e, userIds) => emailJobs('email.event_cancelled', e.id, userIds, 'cancelled'),
      });
      if (result === 'missing') throw new AppError('not_found', `No event with slug "${slug}"`);
      if (result === 'over') {
        throw new AppError('conflict', 'This event is over: it can no longer be cancelled', [
          { field: 'status', message: 'the event is over' },
        ]);
      }
      return detail(await load(slug), actor);
    },

    /** The caller's unanswered invitations to co-organise events not over yet, newest first. */
    async organiserInvitations(actor: EventActor | null): Promise<OrganiserInvitationList> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see your invitations');
      const rows = await repo.pendingInvitationsOf(db, actor.id);
      return {
        items: rows.map((r) => ({
          event: toSummary(r.event),
          invitedBy: r.invitedBy && person(r.invitedBy),
          invitedAt: r.invitedAt.toISOString(),
        })),
      };
    },

    /**
     * The invitee's answer to an invitation to co-organise. Accepting needs the role to organise
     * (organiser or admin) at that moment; declining is final for this event (it cannot name them
     * again). 404 when there is no invitation waiting for the caller.
     */
    async answerInvitation(actor: EventActor | null, slug: string, answer: 'accept' | 'decline'): Promise<EventDetail> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to answer this invitation');
      const e = await load(slug);
      const none = () => new AppError('not_found', 'You have no invitation to co-organise this event');
      if (answer === 'accept') {
        if (!(await repo.pendingInvitation(db, e.id, actor.id))) throw none();
        if (!CREATORS.includes(actor.role))
          throw new AppError('forbidden', 'Only organisers and admins can organise events: ask an admin for the role');
        if (!(await repo.acceptInvitation(db, e.id, actor.id))) throw none();
      } else if (!(await repo.declineInvitation(db, e.id, actor.id))) throw none();
      return detail(e, actor);
    },

    async rsvp(actor: EventActor | null, slug: string, body: RsvpBody | { status: 'remove' }): Promise<RsvpResult> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to answer');
      const choice = body.status === 'remove' ? 'declined' : body.status;
      const outcome = await rsvpQueue.submit(slug, {
        input: {
          slug,
          userId: actor.id,
          choice,
          listed: 'listed' in body ? body.listed : undefined,
          newTicketCode: newTicketCode(),
        },
        effects: {
          activity: (e, o) => rsvpActivity(e, actor.id, o),
          jobs: (e, promoted) => emailJobs('email.rsvp_promoted', e.id, promoted, randomUUID()),
        },
      });
      switch (outcome.kind) {
        case 'missing':
          throw new AppError('not_found', `No event with slug "${slug}"`);
        case 'cancelled':
          throw new AppError('rule_violation', 'This event was cancelled', [
            { field: 'status', message: 'the event was cancelled' },
          ]);
        case 'closed':
          throw new AppError('rule_violation', 'RSVPs are closed for this event', [
            { field: 'status', message: 'RSVPs are closed' },
          ]);
        case 'ok':
          return {
            status: outcome.status as RsvpResult['status'],
            waitlistPosition: outcome.position,
            listed: outcome.listed,
            ticketCode: outcome.status === 'going' ? outcome.ticketCode : null,
            goingCount: outcome.counts.goingCount,
            waitlistCount: outcome.counts.waitlistCount,
            capacity: outcome.event.capacity,
          };
      }
    },

    async attendees(actor: EventActor | null, slug: string): Promise<AttendeeList> {
      const e = await load(slug);
      const counts = { goingCount: e.goingCount, waitlistCount: e.waitlistCount, interestedCount: e.interestedCount };
      if (await canManage(actor, e)) {
        const rows = await repo.listAttendees(db, e.id);
        return {
          items: rows.map((r) => ({
            handle: r.handle,
            displayName: r.displayName,
            status: r.status as RsvpResult['status'],
            waitlistPosition: r.position,
            listed: r.listed,
            ticketCode: r.ticketCode,
            checkedInAt: r.checkedInAt?.toISOString() ?? null,
            rsvpAt: r.decidedAt.toISOString(),
          })),
          full: true,
          ...counts,
          checkedInCount: rows.filter((r) => r.status === 'going' && r.checkedInAt).length,
        };
      }
      return { items: await repo.listedGoing(db, e.id), full: false, ...counts };
    },

    async attendeesCsv(actor: EventActor | null, slug: string): Promise<{ filename: string; csv: string }> {
      const e = await managed(actor, slug, 'export the attendees of');
      const rows = await repo.listAttendees(db, e.id);
      const header = [
        'name',
        'handle',
        'email',
        'status',
        'waitlist_position',
        'listed',
        'ticket_code',
        'checked_in_at',
        'rsvp_at',
      ];
      const lines = [
        header,
        ...rows.map((r) => [
          r.displayName,
          r.handle,
          r.email,
          r.status,
          r.position === null ? '' : String(r.position),
          r.listed ? 'yes' : 'no',
          r.status === 'going' ? r.ticketCode : '',
          r.checkedInAt?.toISOString() ?? '',
          r.decidedAt.toISOString(),
        ]),
      ];
      return {
        filename: `${e.slug}-attendees.csv`,
        csv: `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`,
      };
    },

    async checkIn(actor: EventActor | null, slug: string, body: CheckinBody): Promise<CheckinResult> {
      const e = await managed(actor, slug, 'check people in to');
      refuseCancelled(e, 'there is no one to check in');
      const who =
        'code' in body ? { code: body.code.trim().toUpperCase().replace(/[\s-]/g, '') } : { handle: body.handle };
      const outcome = await repo.checkIn(db, e.id, who, actor!.id);
      if (outcome.kind === 'unknown') {
        throw new AppError(
          'not_found',
          'code' in body ? 'No ticket with this code for this event' : 'This member has no RSVP for this event',
        );
      }
      if (outcome.kind === 'not_going') {
        throw new AppError('rule_violation', `${outcome.person.displayName} is ${outcome.status}, not going`, [
          { field: 'code' in body ? 'code' : 'handle', message: `status is ${outcome.status}` },
        ]);
      }
      return {
        attendee: { handle: outcome.person.handle, displayName: outcome.person.displayName },
        checkedInAt: outcome.checkedInAt.toISOString(),
        alreadyCheckedIn: outcome.already,
        checkedInCount: outcome.checkedIn,
        goingCount: outcome.going,
      };
    },

    async message(actor: EventActor | null, slug: string, body: EventMessage): Promise<{ recipients: number }> {
      const e = await managed(actor, slug, 'message the attendees of');
      refuseCancelled(e, 'everyone who answered was told; it takes no more messages');
      const people = await repo.attendeeIds(db, e.id, ['going']);
      await repo.enqueue(
        db,
        emailJobs('email.event_message', e.id, people, randomUUID(), {
          subject: body.subject.trim(),
          body: body.body.replaceAll('\u0000', ''),
          fromUserId: actor!.id,
        }),
      );
      return { recipients: people.length };
    },

    /** A new private calendar feed URL (the previous one stops working). */
    async newCalendarToken(actor: EventActor | null): Promise<{ url: string }> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to get your calendar feed');
      const token = newSessionToken();
      await repo.setCalendarToken(db, actor.id, sessionIdOf(token));
      return { url: `${publicOrigin}/api/v1/calendar/${token}.ics` };
    },

    async revokeCalendarToken(actor: EventActor | null): Promise<void> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to manage your calendar feed');
      await repo.deleteCalendarToken(db, actor.id);
    },

    async calendarOwner(token: string): Promise<string> {
      const userId = /^[a-z2-7]{32}$/.test(token) ? await repo.userForCalendarToken(db, sessionIdOf(token)) : undefined;
      if (!userId) throw new AppError('not_found', 'No calendar feed here (the link may have been replaced)');
      return userId;
    },

    eventsOf: (userId: string) => repo.eventsOf(db, userId, ['going']),
  };
}

/** The UTC instant of a wall-clock time ("09:00") on the day `date` falls on in `zone`. */
export function zonedTime(date: Date, time: string, zone: string): Date {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(date)
    .split('-')
    .map(Number) as [number, number, number];
  const guess = Date.UTC(parts[0], parts[1] - 1, parts[2], hours, minutes);
  // The zone's offset at that moment (twice, to settle across a DST change).
  let at = guess;
  for (let i = 0; i < 2; i += 1) at = guess - offsetMinutes(new Date(at), zone) * 60_000;
  return new Date(at);
}

function offsetMinutes(at: Date, zone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name ?? '');
  if (!match) return 0;
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

/**
 * The demo events (db/seed/events.ts), on the first start, with the demo members' answers (in
 * list order, so a full event has a waitlist). Returns how many events were added.
 */
export async function seedDemoEvents(database: Database, service: EventsService, now = new Date()): Promise<number> {
  const db = database.kysely;
  let added = 0;
  for (const demo of demoEvents) {
    if (await repo.findEvent(db, demo.slug)) continue;
    const [organiser] = await repo.usersByHandles(db, [demo.organiser]);
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
    const people = await repo.usersByHandles(db, [...demo.going, ...demo.interested]);
    const byHandle = new Map(people.map((p) => [p.handle, p]));
    for (const [handles, status] of [
      [demo.going, 'going'],
      [demo.interested, 'interested'],
    ] as const) {
      for (const handle of handles) {
        const person = byHandle.get(handle);
        if (person) await service.rsvp({ id: person.id, role: 'member' }, demo.slug, { status });
      }
    }
    added += 1;
  }
  return added;
}

function person(p: repo.PersonRow) {
  return { handle: p.handle, displayName: p.displayName };
}

function pick(e: repo.EventRow) {
  return {
    goingCount: e.goingCount,
    waitlistCount: e.waitlistCount,
    interestedCount: e.interestedCount,
    capacity: e.capacity,
  };
}

/** RFC 4180 cell; a leading =, +, - or @ is prefixed so spreadsheets never run it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export type EventsService = ReturnType<typeof createEventsService>;
