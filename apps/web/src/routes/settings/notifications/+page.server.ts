import { fail, redirect } from '@sveltejs/kit';
import {
  NotificationChannels,
  NotificationKinds,
  type NotificationChannel,
  type NotificationKind,
  type NotificationPrefsPatch,
} from '@opsi/contracts/follows';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const DIGESTS = ['daily', 'weekly', 'off'] as const;

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname));
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) toLogin(event);
  return { prefs: await or404(apiFor(event).GET('/api/v1/me/notification-prefs')) };
};

export const actions: Actions = {
  /** One form for every kind and the digest: each radio group is named after its kind. */
  save: async (event) => {
    if (!event.locals.me) toLogin(event);
    const form = await event.request.formData();
    const kinds: { kind: NotificationKind; channel: NotificationChannel }[] = [];
    for (const kind of NotificationKinds) {
      const channel = String(form.get(`kind-${kind}`) ?? '');
      if (!channel) continue;
      if (!(NotificationChannels as readonly string[]).includes(channel)) return fail(400, { problem: kind });
      kinds.push({ kind, channel: channel as NotificationChannel });
    }
    const digest = String(form.get('digest') ?? '');
    if (digest && !(DIGESTS as readonly string[]).includes(digest)) return fail(400, { problem: 'digest' });
    const patch: NotificationPrefsPatch = {
      ...(kinds.length ? { kinds } : {}),
      ...(digest ? { digest: digest as (typeof DIGESTS)[number] } : {}),
    };
    try {
      const prefs = await must(apiFor(event).PATCH('/api/v1/me/notification-prefs', { body: patch }));
      return { saved: true, prefs };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return fail(error.status, { problem: error.message });
      throw error;
    }
  },
};
