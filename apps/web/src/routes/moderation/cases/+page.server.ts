import { error, fail, redirect } from '@sveltejs/kit';
import { ProposalStatuses, type ProposalStatus } from '@opsi/contracts/proposals';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { withRedirect } from '#lib/redirect.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Anonymous: to sign in; members: 403 (the API decides). */
function guard(event: Pick<RequestEvent, 'url' | 'locals'>) {
  if (!event.locals.me) {
    redirect(303, withRedirect(href('/login', event.locals.locale), `${event.url.pathname}${event.url.search}`));
  }
}

function statusOf(url: URL): ProposalStatus {
  const asked = url.searchParams.get('status');
  return (ProposalStatuses as readonly string[]).includes(asked ?? '') ? (asked as ProposalStatus) : 'pending';
}

export const load: PageServerLoad = async (event) => {
  guard(event);
  const status = statusOf(event.url);
  const api = apiFor(event);
  try {
    const [page, reference] = await Promise.all([
      must(api.GET('/api/v1/moderation/cases', { params: { query: { status, limit: 50 } } })),
      loadReference(api),
    ]);
    const names = namesFor(
      reference,
      event.locals.locale,
      page.items.flatMap((p) => p.countries),
      page.items.flatMap((p) => p.themes),
    );
    return { status, proposals: page.items, names, locale: event.locals.locale };
  } catch (caught) {
    if (caught instanceof ApiError && caught.status === 403) error(403, 'Moderators and admins only');
    throw caught;
  }
};

async function decide(event: RequestEvent, decision: 'approve' | 'reject') {
  guard(event);
  const form = await event.request.formData();
  const slug = text(form, 'slug');
  const title = text(form, 'title').slice(0, 200);
  const reason = text(form, 'reason').slice(0, 1000);
  if (!SLUG.test(slug)) error(400, 'No such proposal');
  if (decision === 'reject' && !reason) return fail(400, { slug, problem: 'reason' as const, reason });
  try {
    const path = { slug };
    const body = reason ? { reason } : {};
    const done = await must(
      decision === 'approve'
        ? apiFor(event).POST('/api/v1/moderation/cases/{slug}/approve', { params: { path }, body })
        : apiFor(event).POST('/api/v1/moderation/cases/{slug}/reject', { params: { path }, body }),
    );
    return { decided: decision, title: title || done.title, caseSlug: done.caseSlug };
  } catch (caught) {
    const problem = formProblem(caught);
    const first = Object.values(problem.errors)[0];
    return fail(problem.status, { slug, problem: 'api' as const, alert: first ?? problem.alert, reason });
  }
}

export const actions: Actions = {
  approve: (event) => decide(event, 'approve'),
  reject: (event) => decide(event, 'reject'),
};
