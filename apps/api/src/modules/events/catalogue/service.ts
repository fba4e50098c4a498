/**
 * The events themselves: the list (upcoming or past), one event, and creating, editing and
 * cancelling one (its organisers and admins). A new time or place is emailed to attendees; a
 * cancellation to everyone who answered; seats added by an edit go to the waitlist, in order.
 */
import { randomUUID } from 'node:crypto';
import type { EventDetail, EventList, EventListQuery, EventPatch, NewEvent } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import { renderMarkdown } from '../../../platform/markdown.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { NewJob } from '../../../platform/jobs/catalogue.ts';
import { slugify } from '../../cases/service.ts';
import { cancelledError, CREATORS, refuseCancelled, type EventAccess, type EventActor } from '../access.ts';
import { attendeeIds } from '../attendance/repository.ts';
import { activity, countsOf, emailJobs, invitedActivity, reminderJob } from '../effects.ts';
import type { EventRow } from '../repository.ts';
import { toSummary } from './detail.ts';
import { checkFields } from './fields.ts';
import { cancelEvent, insertEvent, listEvents, updateEvent, type EventValues } from './repository.ts';

export function createCatalogueService(
  db: Database['kysely'],
  access: EventAccess,
  detail: (e: EventRow, viewer: EventActor | null) => Promise<EventDetail>,
  clock: Clock,
) {
  return {
    async list(query: EventListQuery): Promise<EventList> {
      const limit = query.limit ?? 20;
      const cursor = query.cursor ? decodeCursor(query.cursor) : {};
      const rows = await listEvents(
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
        clock(),
      );
      const page = rows.slice(0, limit);
      return {
        items: page.map(toSummary),
        nextCursor: rows.length > limit ? encodeCursor({ afterId: page[page.length - 1]!.id }) : null,
      };
    },

    async get(slug: string, viewer: EventActor | null): Promise<EventDetail> {
      return detail(await access.load(slug), viewer);
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
        db,
        input,
        { startsAt, endsAt, mode: input.mode, venue, rsvpDeadline },
        { eventId: null, creatorId: actor.id, actorId: actor.id },
      );
      const inviteeIds = organiserIds.filter((id) => id !== actor.id);
      const description = input.description?.replaceAll('\u0000', '') ?? '';
      const values: EventValues = {
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
      const now = clock();
      for (let attempt = 2; ; attempt += 1) {
        const result = await insertEvent(
          db,
          { ...values, createdBy: actor.id, inviteeIds, caseIds },
          (id) => {
            const row = { ...values, id, status: 'published' } as EventRow;
            return [
              activity('created', row, actor.id, { startsAt: values.startsAt.toISOString() }, true),
              ...(inviteeIds.length ? [invitedActivity(row, actor.id, inviteeIds)] : []),
            ];
          },
          (id) => reminderJob({ id, startsAt }, now),
        );
        if (result !== 'slug_taken') break;
        if (input.slug)
          throw new AppError('conflict', `The slug "${values.slug}" is taken`, [
            problem('slug', 'taken', 'slug is taken', { value: values.slug }),
          ]);
        if (attempt > 50) throw new AppError('conflict', 'Could not find a free slug for this title; give one');
        values.slug = `${slugify(input.title).slice(0, 36)}-${attempt}`;
      }
      return detail(await access.load(values.slug), actor);
    },

    async update(actor: EventActor | null, slug: string, patch: EventPatch): Promise<EventDetail> {
      const current = await access.managed(actor, slug, 'edit');
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
        db,
        patch,
        { startsAt, endsAt, mode, venue, rsvpDeadline },
        { eventId: current.id, creatorId: current.createdBy, actorId: actor!.id },
      );
      const description = patch.description?.replaceAll('\u0000', '');
      const values: Partial<EventValues> & { organisers?: { ids: string[]; by: string }; caseIds?: string[] } = {
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
      const now = clock();
      // What attendees must hear about: a new time or place of an event still to come (the record
      // of one that is over is corrected quietly).
      const moved = (before: EventRow) => {
        const changes: string[] = [];
        if ((values.endsAt ?? before.endsAt).getTime() <= now.getTime()) return changes;
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
      const result = await updateEvent(db, slug, values, now, {
        bumpsSequence: () => true,
        activity: (before, after, promoted) =>
          activity('updated', after, actor!.id, { changes: moved(before), promoted, ...countsOf(after) }, true),
        jobs: async (before, after, promoted) => {
          const changes = moved(before);
          const jobs: NewJob[] = emailJobs('email.rsvp_promoted', after.id, promoted, randomUUID(), {});
          if (changes.length && after.status === 'published') {
            const people = await attendeeIds(db, after.id, ['going', 'waitlisted']);
            const was = {
              startsAt: before.startsAt.toISOString(),
              endsAt: before.endsAt.toISOString(),
              timezone: before.timezone,
              mode: before.mode,
              venue: before.venue,
              address: before.address,
            };
            jobs.push(
              ...emailJobs('email.event_changed', after.id, people, `seq${after.sequence}`, { changes, before: was }),
            );
          }
          if (after.startsAt.getTime() !== before.startsAt.getTime()) jobs.push(...reminderJob(after, now));
          return jobs;
        },
        invited: (after, userIds) => invitedActivity(after, actor!.id, userIds),
      });
      if (result.kind === 'missing') throw new AppError('not_found', `No event with slug "${slug}"`);
      if (result.kind === 'cancelled') throw cancelledError('it can no longer be edited');
      if (result.kind === 'capacity_below_going') {
        const message = `capacity: ${result.going} people are going; capacity cannot be lower (nobody is removed)`;
        throw new AppError('rule_violation', message, [
          problem('capacity', 'capacity_below_going', message, { going: result.going }),
        ]);
      }
      return detail(result.after, actor);
    },

    async cancel(actor: EventActor | null, slug: string): Promise<EventDetail> {
      await access.managed(actor, slug, 'cancel');
      const now = clock();
      const result = await cancelEvent(db, slug, now, {
        activity: (e) => activity('cancelled', e, actor!.id, countsOf(e), true),
        jobs: (e, userIds) => emailJobs('email.event_cancelled', e.id, userIds, 'cancelled', {}),
      });
      if (result === 'missing') throw new AppError('not_found', `No event with slug "${slug}"`);
      if (result === 'over') {
        throw new AppError('conflict', 'This event is over: it can no longer be cancelled', [
          problem('status', 'event_over', 'the event is over'),
        ]);
      }
      return detail(await access.load(slug), actor);
    },
  };
}
