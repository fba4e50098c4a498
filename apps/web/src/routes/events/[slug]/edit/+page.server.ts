import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { changedOnly, checkEventForm, eventFormOf, readEventForm } from '#lib/event-form.ts';
import { eventPhase } from '#lib/event-time.ts';
import { href } from '#lib/i18n.ts';
import { eventApiProblem, eventFormChoices, eventFormErrors, knownChoices } from '#lib/server/event-form.ts';
import { setEventNotice } from '#lib/server/event-notice.ts';
import { managedEvent } from '#lib/server/managed-event.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const found = await managedEvent(event);
  return {
    event: { slug: found.slug, title: found.title, status: found.status },
    /** Over: it can no longer be cancelled (the API refuses). */
    over: eventPhase(found.startsAt, found.endsAt) === 'ended',
    ...(await eventFormChoices(event, event.locals.locale, found.timezone)),
    values: eventFormOf(found),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const found = await managedEvent(event);
    const values = readEventForm(await event.request.formData());
    const choices = await eventFormChoices(event, event.locals.locale, values.timezone, found.timezone);
    const { problems, body } = checkEventForm(values, { create: false, ...knownChoices(choices) });
    if (!body) return fail(400, { values, ...eventFormErrors(problems), alert: null });

    try {
      await must(
        apiFor(event).PATCH('/api/v1/events/{slug}', {
          params: { path: { slug: found.slug } },
          body: changedOnly(body, values, eventFormOf(found)),
        }),
      );
    } catch (e) {
      const { status, ...shown } = eventApiProblem(e);
      return fail(status, { values, ...shown });
    }
    setEventNotice(event, found.slug, 'saved');
    redirect(303, href(`/events/${found.slug}`, event.locals.locale));
  },
};
