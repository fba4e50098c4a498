import { fail, redirect } from '@sveltejs/kit';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { eventPhase } from '#lib/event-time.ts';
import { href } from '#lib/i18n.ts';
import { setEventNotice } from '#lib/server/event-notice.ts';
import { managedEvent } from '#lib/server/managed-event.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const found = await managedEvent(event);
  return {
    event: {
      slug: found.slug,
      title: found.title,
      status: found.status,
      goingCount: found.goingCount,
      waitlistCount: found.waitlistCount,
      interestedCount: found.interestedCount,
    },
    /** An event that took place cannot be cancelled (the API refuses: 409). */
    over: eventPhase(found.startsAt, found.endsAt) === 'ended',
  };
};

export const actions: Actions = {
  default: async (event) => {
    const found = await managedEvent(event);
    if (found.status === 'published') {
      try {
        await must(apiFor(event).POST('/api/v1/events/{slug}/cancel', { params: { path: { slug: found.slug } } }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) return fail(409, { alert: m.eventform_cancel_over() });
        const problem = formProblem(e);
        return fail(problem.status, { alert: problem.alert ?? null });
      }
    }
    setEventNotice(event, found.slug, 'cancelled');
    redirect(303, href(`/events/${found.slug}`, event.locals.locale));
  },
};
