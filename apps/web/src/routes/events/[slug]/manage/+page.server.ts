import { error, fail } from '@sveltejs/kit';
import { EventMessage } from '@opsi/contracts/events';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { limitOf } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { secret, text } from '#lib/server/forms.ts';
import { managedEvent } from '#lib/server/managed-event.ts';
import type { Actions, PageServerLoad } from './$types';

const SUBJECT_MAX = limitOf(EventMessage.properties.subject, 'maxLength');
const BODY_MAX = limitOf(EventMessage.properties.body, 'maxLength');

export const load: PageServerLoad = async (request) => {
  const event = await managedEvent(request);
  const path = { slug: event.slug };
  const api = apiFor(request);
  const [attendees, messages] = await Promise.all([
    must(api.GET('/api/v1/events/{slug}/attendees', { params: { path } })),
    must(api.GET('/api/v1/events/{slug}/messages', { params: { path } })),
  ]);
  return { event, attendees, messages: messages.items };
};

export const actions: Actions = {
  message: async (event) => {
    const { request, params, locals } = event;
    if (!locals.me) error(401, 'Sign in', { code: 'unauthorized' });
    const data = await request.formData();
    const subject = text(data, 'subject');
    const body = secret(data, 'body').trim();
    const errors: Record<string, string> = {};
    if (!subject) errors.subject = m.organiser_message_subject_missing();
    else if (subject.length > SUBJECT_MAX) errors.subject = m.organiser_message_subject_long();
    if (!body) errors.body = m.organiser_message_body_missing();
    else if (body.length > BODY_MAX) errors.body = m.organiser_message_body_long();
    if (Object.keys(errors).length) return fail(400, { message: { subject, body, errors } });
    try {
      const sent = await must(
        apiFor(event).POST('/api/v1/events/{slug}/messages', {
          params: { path: { slug: params.slug } },
          body: { subject, body },
        }),
      );
      return { sent: sent.recipients };
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) error(403, 'Forbidden', { code: 'forbidden' });
      // Cancelled meanwhile: no more messages (the page now says so).
      if (err instanceof ApiError && err.status === 409) return fail(409, { cancelled: true });
      throw err;
    }
  },
};
