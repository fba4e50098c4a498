import { error, fail, redirect } from '@sveltejs/kit';
import { ReportReasons, ReportTargetTypes } from '@opsi/contracts/moderation';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { problemText } from '#lib/problem-text.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type TargetType = (typeof ReportTargetTypes)[number];
type Reason = (typeof ReportReasons)[number];
const TARGET = /^[a-z0-9-]{1,100}$/;

/** The target named in the query (`?type=&target=`), or a 404. */
function targetOf(url: URL): { type: TargetType; target: string } {
  const type = url.searchParams.get('type') ?? '';
  const target = url.searchParams.get('target') ?? '';
  if (!(ReportTargetTypes as readonly string[]).includes(type) || !TARGET.test(target)) error(404, 'Nothing to report');
  return { type: type as TargetType, target };
}

function toLogin(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), event.url.pathname + event.url.search));
}

export const load: PageServerLoad = (event) => {
  if (!event.locals.me) toLogin(event);
  return targetOf(event.url);
};

export const actions: Actions = {
  default: async (event) => {
    if (!event.locals.me) toLogin(event);
    const { type, target } = targetOf(event.url);
    const form = await event.request.formData();
    const reason = String(form.get('reason') ?? '');
    const note = String(form.get('note') ?? '').slice(0, 1000);
    if (!(ReportReasons as readonly string[]).includes(reason)) {
      return fail(400, { problem: 'reason', note, reason: '' });
    }
    try {
      await must(
        apiFor(event).POST('/api/v1/reports', {
          body: { targetType: type, target, reason: reason as Reason, ...(note.trim() ? { note } : {}) },
        }),
      );
      return { done: true };
    } catch (caught) {
      if (caught instanceof ApiError && caught.status < 500) {
        const first = caught.problems[0];
        return fail(caught.status, { problem: (first && problemText(first)) ?? caught.message, note, reason });
      }
      throw caught;
    }
  },
};
