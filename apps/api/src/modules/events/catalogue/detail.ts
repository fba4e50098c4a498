/** Events as the API shows them: a summary in lists, and the whole event with what the viewer may see of it. */
import type { EventDetail, EventMode, EventSummary, RsvpResult } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import type { EventAccess, EventActor } from '../access.ts';
import { eventOrganisers, pendingInvitation, pendingOrganisers } from '../invitations/repository.ts';
import { userById, type EventRow, type PersonRow } from '../repository.ts';
import { findRsvp } from '../rsvp/repository.ts';
import { eventCases } from './repository.ts';

function seatsLeft(e: EventRow): number | null {
  return e.capacity === null ? null : Math.max(0, e.capacity - e.goingCount);
}

export function toSummary(e: EventRow): EventSummary {
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

/** Whether members may still answer at `now` (ms): published, not over, its RSVP deadline not passed. */
export function rsvpOpen(e: EventRow, now: number): boolean {
  return (
    e.status === 'published' && e.endsAt.getTime() > now && (e.rsvpDeadline === null || e.rsvpDeadline.getTime() > now)
  );
}

export function person(p: PersonRow) {
  return { handle: p.handle, displayName: p.displayName };
}

/** The whole event for a viewer: the online link only for those going and its managers. */
export function createEventDetail(db: Database['kysely'], access: EventAccess, clock: Clock) {
  return async function detail(e: EventRow, viewer: EventActor | null): Promise<EventDetail> {
    const [organisers, cases, mine, manage, invitation] = await Promise.all([
      eventOrganisers(db, e.id),
      eventCases(db, e.id),
      viewer ? findRsvp(db, e.id, viewer.id) : Promise.resolve(undefined),
      access.canManage(viewer, e),
      viewer ? pendingInvitation(db, e.id, viewer.id) : Promise.resolve(undefined),
    ]);
    const creator = organisers.find((o) => o.id === e.createdBy) ?? (await userById(db, e.createdBy));
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
      rsvpOpen: rsvpOpen(e, clock().getTime()),
      sequence: e.sequence,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
    if (e.onlineUrl && (going || manage)) out.onlineUrl = e.onlineUrl;
    if (manage) out.pendingOrganisers = (await pendingOrganisers(db, e.id)).map(person);
    if (invitation) {
      out.organiserInvitation = {
        invitedBy: invitation.invitedBy && person(invitation.invitedBy),
        invitedAt: invitation.invitedAt.toISOString(),
      };
    }
    return out;
  };
}
