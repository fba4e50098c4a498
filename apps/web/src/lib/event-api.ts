/**
 * The events part of the REST API (/api/v1/events): the list, one event, its public attendees,
 * calendar links and your RSVP; for organisers, creating, editing and cancelling; your private
 * calendar feed (/api/v1/me/calendar-token). Bound to a `fetch` like `#lib/api.ts` (a `load`
 * function's, or the browser's, which sends the session cookie to the same origin), failing with
 * the same `ApiError`; a missing event shows the 404 page. Invitations to co-organise are answered
 * here too (POST /api/v1/events/:slug/organiser-invitations/accept|decline).
 */
import { error } from '@sveltejs/kit';
import type { ErrorCode, FieldProblem } from '@opsi/contracts/common';
import type { CalendarFeedStatus, CalendarFeedUrl } from '@opsi/contracts/calendar';
import type {
  AttendeeList,
  CheckinBody,
  CheckinResult,
  EventDetail,
  EventList,
  EventPatch,
  NewEvent,
  RsvpBody,
  RsvpResult,
} from '@opsi/contracts/events';
import { ApiError } from '#lib/api.ts';

type Fetch = typeof fetch;

/** Where to add an event to a calendar (GET /api/v1/events/:slug/calendar-links). */
export interface CalendarLinks {
  google: string;
  outlook: string;
  ics: string;
}

async function problem(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown; details?: unknown };
  } | null;
  const code = typeof body?.error?.code === 'string' ? (body.error.code as ErrorCode) : null;
  const message = typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
  const details = Array.isArray(body?.error?.details) ? (body.error.details as FieldProblem[]) : [];
  const retryAfter = Number(response.headers.get('retry-after') ?? '');
  return new ApiError(
    response.status,
    code ?? (response.status >= 500 ? 'internal_error' : 'validation_failed'),
    message || 'Unexpected API response',
    details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null,
  );
}

async function call(fetch: Fetch, path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'service_unavailable', 'The API could not be reached');
  }
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await problem(response);
  return (await response.json()) as T;
}

function eventPath(slug: string, rest = ''): string {
  return `/api/v1/events/${encodeURIComponent(slug)}${rest}`;
}

/** The address of an event's .ics file (RFC 5545), always offered even when the links are unknown. */
export function icsPath(slug: string): string {
  return eventPath(slug, '/calendar.ics');
}

export function createEventsApi(fetch: Fetch) {
  return {
    /** `query` is built by `#lib/event-query` (already validated). */
    list: async (query: URLSearchParams) => {
      const search = query.toString();
      return json<EventList>(await call(fetch, search ? `/api/v1/events?${search}` : '/api/v1/events'));
    },

    /** One event with the viewer's RSVP; the 404 page when there is none. */
    get: async (slug: string) => {
      const response = await call(fetch, eventPath(slug));
      if (response.status === 404) {
        const missing = await problem(response);
        error(404, missing.message, { code: missing.code });
      }
      return json<EventDetail>(response);
    },

    /** Those going who chose to be listed (organisers get everyone, with status). */
    attendees: async (slug: string) => json<AttendeeList>(await call(fetch, eventPath(slug, '/attendees'))),

    /** Google and Outlook links and the .ics address, or null when the API does not offer them. */
    calendarLinks: async (slug: string): Promise<CalendarLinks | null> => {
      const response = await call(fetch, eventPath(slug, '/calendar-links'));
      if (!response.ok) return null;
      const links = (await response.json().catch(() => null)) as Partial<CalendarLinks> | null;
      if (typeof links?.google !== 'string' || typeof links.outlook !== 'string' || typeof links.ics !== 'string') {
        return null;
      }
      return { google: links.google, outlook: links.outlook, ics: links.ics };
    },

    rsvp: async (slug: string, body: RsvpBody) =>
      json<RsvpResult>(await call(fetch, eventPath(slug, '/rsvp'), { method: 'PUT', body: JSON.stringify(body) })),

    /** Organisers: check an attendee in by ticket code or handle. */
    checkIn: async (slug: string, body: CheckinBody) =>
      json<CheckinResult>(
        await call(fetch, eventPath(slug, '/checkins'), { method: 'POST', body: JSON.stringify(body) }),
      ),

    /** Organisers: email everyone going. */
    message: async (slug: string, subject: string, body: string) =>
      json<{ recipients: number }>(
        await call(fetch, eventPath(slug, '/messages'), { method: 'POST', body: JSON.stringify({ subject, body }) }),
      ),

    /** Organisers and admins: a new event (201). */
    create: async (body: NewEvent) =>
      json<EventDetail>(await call(fetch, '/api/v1/events', { method: 'POST', body: JSON.stringify(body) })),

    /** Its organisers and admins: change an event (attendees are told of a new time or place). */
    update: async (slug: string, patch: EventPatch) =>
      json<EventDetail>(await call(fetch, eventPath(slug), { method: 'PATCH', body: JSON.stringify(patch) })),

    /** The invitee: accept (organise it from now on) or decline an invitation to co-organise. */
    answerInvitation: async (slug: string, answer: 'accept' | 'decline') =>
      json<EventDetail>(await call(fetch, eventPath(slug, `/organiser-invitations/${answer}`), { method: 'POST' })),

    /** Its organisers and admins: cancel an event (everyone who answered is told). */
    cancel: async (slug: string) =>
      json<EventDetail>(await call(fetch, eventPath(slug, '/cancel'), { method: 'POST' })),

    /** Whether the member has a private calendar feed (its address is shown only when created). */
    calendarFeed: async () => json<CalendarFeedStatus>(await call(fetch, '/api/v1/me/calendar-token')),

    /** A new private feed address; any previous one stops working. */
    newCalendarFeed: async () =>
      json<CalendarFeedUrl>(await call(fetch, '/api/v1/me/calendar-token', { method: 'POST' })),

    /** Turns the private feed off: its address stops working. */
    revokeCalendarFeed: async () => {
      const response = await call(fetch, '/api/v1/me/calendar-token', { method: 'DELETE' });
      if (!response.ok) throw await problem(response);
    },

    withdraw: async (slug: string) => {
      const response = await call(fetch, eventPath(slug, '/rsvp'), { method: 'DELETE' });
      if (!response.ok) throw await problem(response);
    },
  };
}

export type EventsApi = ReturnType<typeof createEventsApi>;
