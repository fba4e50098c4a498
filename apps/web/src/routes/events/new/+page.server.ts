import { error, fail, redirect } from '@sveltejs/kit';
import type { Role } from '@opsi/contracts/accounts';
import { createEventsApi } from '#lib/event-api.ts';
import { checkEventForm, emptyEventForm, readEventForm } from '#lib/event-form.ts';
import { isTimeZone } from '@opsi/common/zones';
import { ZONE_COOKIE } from '#lib/event-time.ts';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';
import { eventApiProblem, eventFormChoices, eventFormErrors, knownChoices } from '#lib/server/event-form.ts';
import { setEventNotice } from '#lib/server/event-notice.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Who may create events (the API's rule: organisers and admins). */
const CREATORS: Role[] = ['organiser', 'admin'];

/** Signed in as an organiser or admin; others are sent to sign in, or refused (403). */
function allowed(event: Pick<RequestEvent, 'url' | 'locals'>): void {
  const me = event.locals.me;
  if (!me) redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
  if (!CREATORS.includes(me.user.role)) error(403, 'Forbidden', { code: 'forbidden' });
}

export const load: PageServerLoad = async (event) => {
  allowed(event);
  const zone = event.cookies.get(ZONE_COOKIE);
  const known = isTimeZone(zone) ? zone : null;
  return {
    ...(await eventFormChoices(event.fetch, event.locals.locale, known ?? 'UTC')),
    values: emptyEventForm(known ?? 'UTC'),
    /** Whether the zone is the viewer's (else the browser puts its own in). */
    zoneKnown: known !== null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    allowed(event);
    const values = readEventForm(await event.request.formData());
    const choices = await eventFormChoices(event.fetch, event.locals.locale, values.timezone);
    const { problems, body } = checkEventForm(values, { create: true, ...knownChoices(choices) });
    if (!body) return fail(400, { values, ...eventFormErrors(problems), alert: null });

    let slug: string;
    try {
      slug = (await createEventsApi(event.fetch).create(body)).slug;
    } catch (e) {
      const { status, ...shown } = eventApiProblem(e);
      return fail(status, { values, ...shown });
    }
    setEventNotice(event, slug, 'created');
    redirect(303, href(`/events/${slug}`, event.locals.locale));
  },
};
