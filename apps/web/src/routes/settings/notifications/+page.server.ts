import { fail } from '@sveltejs/kit';
import {
  NotificationChannels,
  NotificationKinds,
  type NotificationChannel,
  type NotificationKind,
  type NotificationPrefsPatch,
} from '@opsi/contracts/follows';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

const DIGESTS = ['daily', 'weekly', 'off'] as const;

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  return { prefs: await or404(apiFor(event).GET('/api/v1/me/notification-prefs')) };
};

export const actions: Actions = {
  /** One form for every kind and the digest: each radio group is named after its kind. */
  save: async (event) => {
    signedIn(event);
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
