import { error, fail, redirect } from '@sveltejs/kit';
import { RsvpChoices } from '@opsi/contracts/events';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { href } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { withRedirect } from '#lib/redirect.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import { followAction } from '#lib/server/follow.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { liveActions, loadLive } from '#lib/server/live-actions.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type RsvpChoice = (typeof RsvpChoices)[number];

/** The address of an event's .ics file (RFC 5545), always offered even when the links are unknown. */
function icsPath(slug: string): string {
  return `/api/v1/events/${encodeURIComponent(slug)}/calendar.ics`;
}

export const load: PageServerLoad = async (request) => {
  const { params, locals, cookies, depends } = request;
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  // Live changes (a seat freed, the organisers' edits) reload the event through this key.
  depends('app:event');
  const api = apiFor(request);
  const path = { slug: params.slug };
  const [event, attendees, links, reference, follow, live] = await Promise.all([
    or404(api.GET('/api/v1/events/{slug}', { params: { path } })),
    must(api.GET('/api/v1/events/{slug}/attendees', { params: { path } })).catch(() => null),
    // Google and Outlook links, when the API offers them.
    must(api.GET('/api/v1/events/{slug}/calendar-links', { params: { path } })).catch(() => null),
    loadReference(api),
    must(api.GET('/api/v1/follows/{type}/{key}', { params: { path: { type: 'event', key: params.slug } } })).catch(
      () => null,
    ),
    // The live layer: Q&A and polls (issue 17).
    loadLive(request),
  ]);
  const zone = cookies.get(ZONE_COOKIE);
  return {
    event,
    /** The public list (organisers get everyone from the API: only those going and listed show here). */
    attendees: (attendees?.items ?? [])
      .filter((person) => (person.status ?? 'going') === 'going' && person.listed !== false)
      .map(({ handle, displayName }) => ({ handle, displayName })),
    calendar: links ?? { ics: icsPath(event.slug), google: null, outlook: null },
    names: namesFor(reference, locals.locale, event.countries, event.themes),
    /** The viewer's time zone as the browser last told it (null on a first visit). */
    viewerZone: isTimeZone(zone) ? zone : null,
    signedIn: locals.me !== null,
    follow,
    live,
  };
};

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

/** The API's refusals, in the UI language. */
function rsvpProblem(e: unknown) {
  if (e instanceof ApiError && e.status === 422) {
    const cancelled = e.problems.some((problem) => problem.code === 'event_cancelled');
    return { status: 422, alert: cancelled ? m.events_rsvp_cancelled_error() : m.events_rsvp_closed_error() };
  }
  const problem = formProblem(e);
  return { status: problem.status, alert: problem.alert ?? m.form_failed() };
}

async function answerInvitation(event: RequestEvent, answer: 'accept' | 'decline') {
  if (!event.locals.me) toLogin(event);
  try {
    const path = { slug: event.params.slug };
    await must(
      answer === 'accept'
        ? apiFor(event).POST('/api/v1/events/{slug}/organiser-invitations/accept', { params: { path } })
        : apiFor(event).POST('/api/v1/events/{slug}/organiser-invitations/decline', { params: { path } }),
    );
    return { invitation: answer === 'accept' ? ('accepted' as const) : ('declined' as const) };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) toLogin(event);
    if (e instanceof ApiError && e.status === 403) return fail(403, { invitationAlert: m.events_invitation_role() });
    if (e instanceof ApiError && e.status === 404) return fail(404, { invitationAlert: m.events_invitation_gone() });
    const problem = formProblem(e);
    return fail(problem.status, { invitationAlert: problem.alert ?? m.form_failed() });
  }
}

export const actions: Actions = {
  follow: followAction,
  ...liveActions,
  rsvp: async (event) => {
    const { request, locals, params } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const choice = text(data, 'status');
    const status = RsvpChoices.find((value): value is RsvpChoice => value === choice);
    if (!status) return fail(400, { alert: m.form_failed() });
    // The checkbox is sent only when ticked: its absence means "not listed" when the form had it.
    const listed = text(data, 'listedField') === '1' ? data.has('listed') : undefined;
    try {
      const result = await must(
        apiFor(event).PUT('/api/v1/events/{slug}/rsvp', {
          params: { path: { slug: params.slug } },
          body: { status, listed },
        }),
      );
      return { rsvp: { status: result.status, waitlistPosition: result.waitlistPosition } };
    } catch (e) {
      const { status: code, alert } = rsvpProblem(e);
      if (code === 401) toLogin(event);
      return fail(code, { alert });
    }
  },

  /** The invitee's answer to an invitation to co-organise (a plain form: works without scripts). */
  acceptInvitation: (event) => answerInvitation(event, 'accept'),
  declineInvitation: (event) => answerInvitation(event, 'decline'),

  withdraw: async (event) => {
    const { locals, params } = event;
    if (!locals.me) toLogin(event);
    try {
      await must(apiFor(event).DELETE('/api/v1/events/{slug}/rsvp', { params: { path: { slug: params.slug } } }));
      return { withdrawn: true };
    } catch (e) {
      const { status: code, alert } = rsvpProblem(e);
      if (code === 401) toLogin(event);
      return fail(code, { alert });
    }
  },
};
