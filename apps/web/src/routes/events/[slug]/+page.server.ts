import { error, fail, redirect } from '@sveltejs/kit';
import { RsvpChoices } from '@opsi/contracts/events';
import { ApiError, createApi } from '#lib/api.ts';
import { createEventsApi, icsPath } from '#lib/event-api.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { href } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { withRedirect } from '#lib/redirect.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import { followAction } from '#lib/server/follow.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const SLUG = /^[a-z0-9-]{2,40}$/;

type RsvpChoice = (typeof RsvpChoices)[number];

export const load: PageServerLoad = async ({ params, fetch, locals, cookies, depends }) => {
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  // Live changes (a seat freed, the organisers' edits) reload the event through this key.
  depends('app:event');
  const events = createEventsApi(fetch);
  const [event, attendees, links, reference, follow] = await Promise.all([
    events.get(params.slug),
    events.attendees(params.slug).catch(() => null),
    events.calendarLinks(params.slug).catch(() => null),
    loadReference(createApi(fetch)),
    createApi(fetch)
      .followState('event', params.slug)
      .catch(() => null),
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
  };
};

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

/** The API's refusals, in the UI language. */
function rsvpProblem(e: unknown) {
  if (e instanceof ApiError && e.status === 422) {
    const cancelled = /cancel/i.test(e.message);
    return { status: 422, alert: cancelled ? m.events_rsvp_cancelled_error() : m.events_rsvp_closed_error() };
  }
  const problem = formProblem(e);
  return { status: problem.status, alert: problem.alert ?? m.form_failed() };
}

async function answerInvitation(event: RequestEvent, answer: 'accept' | 'decline') {
  if (!event.locals.me) toLogin(event);
  try {
    await createEventsApi(event.fetch).answerInvitation(event.params.slug, answer);
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
  rsvp: async (event) => {
    const { request, fetch, locals, params } = event;
    if (!locals.me) toLogin(event);
    const data = await request.formData();
    const choice = text(data, 'status');
    const status = RsvpChoices.find((value): value is RsvpChoice => value === choice);
    if (!status) return fail(400, { alert: m.form_failed() });
    // The checkbox is sent only when ticked: its absence means "not listed" when the form had it.
    const listed = text(data, 'listedField') === '1' ? data.has('listed') : undefined;
    try {
      const result = await createEventsApi(fetch).rsvp(params.slug, { status, listed });
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
    const { fetch, locals, params } = event;
    if (!locals.me) toLogin(event);
    try {
      await createEventsApi(fetch).withdraw(params.slug);
      return { withdrawn: true };
    } catch (e) {
      const { status: code, alert } = rsvpProblem(e);
      if (code === 401) toLogin(event);
      return fail(code, { alert });
    }
  },
};
