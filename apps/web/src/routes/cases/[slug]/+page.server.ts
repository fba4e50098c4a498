import { error, fail, redirect } from '@sveltejs/kit';
import type { Post, ReactionKind } from '@opsi/contracts/discussions';
import { ReactionKinds } from '@opsi/contracts/discussions';
import { WatchLevels, type WatchLevel } from '@opsi/contracts/member-tools';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { postLimitMessage, reactionLimitMessage } from '#lib/limit-messages.ts';
import { m } from '#lib/paraglide/messages.js';
import { withRedirect } from '#lib/redirect.ts';
import { secret, text, waitMessage } from '#lib/server/forms.ts';
import { followAction } from '#lib/server/follow.ts';
import { draftAnchor, dropDraft, keepDraft, takeDraft } from '#lib/server/pending-draft.ts';
import { redirectIfMoved } from '#lib/server/case-form.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { POST_MAX } from '#lib/thread.ts';
import { loadWindow, WINDOW_SIZE } from '#lib/thread-window.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const ID = /^[1-9]\d{0,18}$/;

export const load: PageServerLoad = async (event) => {
  const { params, locals } = event;
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  const api = apiFor(event);
  const path = { slug: params.slug };
  // An old slug (a renamed case) answers 301: the page goes on to the current one.
  const current = <A extends { response: Response }>(call: Promise<A>) =>
    call.then((answer) => {
      redirectIfMoved(event, answer.response, locals.locale);
      return answer;
    });
  // The thread's start is asked without `after` (which the API may answer from its cache); a
  // window after an id is read when asked.
  const thread = (after: string | undefined, limit: number) =>
    or404(current(api.GET('/api/v1/cases/{slug}/posts', { params: { path, query: { after, limit } } })));
  const mine = locals.me !== null;
  const [item, reference, first, follow, level, blocked, records] = await Promise.all([
    or404(current(api.GET('/api/v1/cases/{slug}', { params: { path, query: { lang: locals.locale } } }))),
    loadReference(api),
    thread(undefined, WINDOW_SIZE),
    must(api.GET('/api/v1/follows/{type}/{key}', { params: { path: { type: 'case', key: params.slug } } })).catch(
      () => null,
    ),
    mine ? must(api.GET('/api/v1/me/threads/cases/{slug}', { params: { path } })).catch(() => null) : null,
    // The members the viewer blocked: their posts pushed live are collapsed too (the API marks
    // only the posts it reads out).
    mine
      ? must(api.GET('/api/v1/me/blocks'))
          .then((list) => list.items.map((b) => b.handle))
          .catch(() => [])
      : [],
    // The events about this case that ended with a Q&A or polls (issue 17): links to their record.
    must(api.GET('/api/v1/cases/{slug}/event-records', { params: { path } }))
      .then((list) => list.items)
      .catch(() => []),
  ]);
  // A window of the thread around the reader's place (thread-window.ts), not the whole thread.
  const query = event.url.searchParams;
  const window = await loadWindow(first, thread, {
    post: query.get('post'),
    after: query.get('after'),
    before: query.get('before'),
  });
  const posts: Post[] = window.posts;
  // No side effect here: SvelteKit runs this load to preload a link the pointer rests on. Where
  // the reader got to is recorded by the page once shown (thread-read.ts), or without JavaScript
  // by the thread's "mark as read" form (the `read` action).
  return {
    item,
    names: namesFor(reference, locals.locale, item.countries, item.themes),
    posts,
    earlier: window.earlier,
    more: window.later,
    lastReadPostId: window.lastReadPostId,
    /** Changes when the window moves (a new Thread), not when a form action reloads the page. */
    windowKey: `${params.slug}?${['post', 'after', 'before'].map((k) => query.get(k) ?? '').join(':')}`,
    follow,
    level: level?.level ?? null,
    /** What the member wrote before their session ended (pending-draft.ts), back in its composer. */
    draft: locals.me ? draftForm(takeDraft(event.cookies, params.slug)) : null,
    blocked,
    records,
    now: Date.now(),
    canEdit: ['organiser', 'moderator', 'admin'].includes(locals.me?.user.role ?? ''),
  };
};

/** A kept draft as the page's `form` of a failed post: the thread puts it back in its composer. */
function draftForm(draft: { parentId: string; body: string } | null) {
  if (!draft) return null;
  return {
    form: draft.parentId ? `reply-${draft.parentId}` : 'new',
    values: { body: draft.body, parentId: draft.parentId, clientId: '' },
    errors: { body: m.thread_draft_kept() },
  };
}

function signIn(event: Pick<RequestEvent, 'url' | 'locals'>): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), `${event.url.pathname}#discussion`));
}

/** Back to the thread, at the post concerned (`?post=` puts it in the window the page renders). */
function toPost(event: Pick<RequestEvent, 'url'>, id: string | null): never {
  redirect(303, `${event.url.pathname}${id ? `?post=${id}#post-${id}` : '#discussion'}`);
}

function apiProblem(error: unknown, form: string, values: Record<string, string>) {
  if (error instanceof ApiError) {
    // A per-member limit: say which, and when to try again (the typed text comes back in `values`).
    const limited = form.startsWith('react-')
      ? reactionLimitMessage(error)
      : form.startsWith('delete-')
        ? null
        : postLimitMessage(error);
    if (limited) return fail(error.status, { form, values, errors: { body: limited } });
    if (error.status === 429) return fail(429, { form, values, errors: { body: waitMessage(error) } });
    if (error.status === 404) return fail(404, { form, values, errors: { body: m.thread_error_gone() } });
    if (error.status === 403) return fail(403, { form, values, errors: { body: m.thread_error_forbidden() } });
    const field = error.problems[0]?.field;
    if (field === 'parentId') return fail(422, { form, values, errors: { body: m.thread_error_parent() } });
    if (error.status === 400 || error.status === 422) {
      return fail(error.status, { form, values, errors: { body: m.thread_error_body() } });
    }
  }
  throw error;
}

function bodyProblem(body: string): string | null {
  if (!body.trim()) return m.thread_error_empty();
  if ([...body].length > POST_MAX) return m.thread_error_long({ max: POST_MAX });
  return null;
}

export const actions: Actions = {
  follow: followAction,
  /** The member's level for the thread: watching (every post notifies), normal or muted (nothing). */
  level: async (event) => {
    if (!event.locals.me) signIn(event);
    const level = String((await event.request.formData()).get('level') ?? '');
    if (!(WatchLevels as readonly string[]).includes(level)) return fail(400, { levelProblem: true as const });
    const res = await apiFor(event).PUT('/api/v1/me/threads/cases/{slug}', {
      params: { path: { slug: event.params.slug } },
      body: { level: level as WatchLevel },
    });
    if (res.error) return fail(res.response.status, { levelProblem: true as const });
    return { threadLevel: res.data };
  },
  /** A new post or a reply (parentId); clientId makes a double submission post once. */
  post: async (event) => {
    const data = await event.request.formData();
    const body = secret(data, 'body');
    const parentId = text(data, 'parentId');
    if (!event.locals.me) {
      // The session ended while they wrote: keep what they wrote for when they are back.
      const draft = { slug: event.params.slug, parentId: ID.test(parentId) ? parentId : '', body };
      if (body.trim()) keepDraft(event, draft);
      redirect(303, withRedirect(href('/login', event.locals.locale), draftAnchor(event.url.pathname, draft)));
    }
    const clientId = text(data, 'clientId');
    const form = parentId ? `reply-${parentId}` : 'new';
    const values = { body, parentId, clientId };
    const problem = bodyProblem(body);
    if (problem) return fail(400, { form, values, errors: { body: problem } });
    if (parentId && !ID.test(parentId)) return fail(400, { form, values, errors: { body: m.thread_error_parent() } });
    let created: Post;
    try {
      created = await must(
        apiFor(event).POST('/api/v1/cases/{slug}/posts', {
          params: { path: { slug: event.params.slug } },
          body: {
            body,
            ...(parentId ? { parentId } : {}),
            ...(/^[a-z\d-]{1,100}$/i.test(clientId) ? { clientId } : {}),
          },
        }),
      );
    } catch (err) {
      return apiProblem(err, form, values);
    }
    dropDraft(event.cookies);
    toPost(event, created.id);
  },

  edit: async (event) => {
    if (!event.locals.me) signIn(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    const body = secret(data, 'body');
    const form = `edit-${id}`;
    const values = { body, id };
    if (!ID.test(id)) error(400, 'Bad request', { code: 'validation_failed' });
    const problem = bodyProblem(body);
    if (problem) return fail(400, { form, values, errors: { body: problem } });
    try {
      await must(apiFor(event).PATCH('/api/v1/posts/{id}', { params: { path: { id } }, body: { body } }));
    } catch (err) {
      return apiProblem(err, form, values);
    }
    toPost(event, id);
  },

  /** Without JavaScript: the first submission asks to confirm, the second (confirm=yes) deletes. */
  delete: async (event) => {
    if (!event.locals.me) signIn(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!ID.test(id)) error(400, 'Bad request', { code: 'validation_failed' });
    if (text(data, 'confirm') !== 'yes') return { confirmDelete: id };
    try {
      await must(apiFor(event).DELETE('/api/v1/posts/{id}', { params: { path: { id } } }));
    } catch (err) {
      return apiProblem(err, `delete-${id}`, { id });
    }
    toPost(event, null);
  },

  /** Without JavaScript: the thread's "mark as read" button (the load records nothing: a preload is not a read). */
  read: async (event) => {
    if (!event.locals.me) signIn(event);
    const lastReadPostId = text(await event.request.formData(), 'lastReadPostId');
    if (!ID.test(lastReadPostId)) error(400, 'Bad request', { code: 'validation_failed' });
    const params = { path: { slug: event.params.slug } };
    try {
      await must(apiFor(event).PUT('/api/v1/cases/{slug}/read', { params, body: { lastReadPostId } }));
    } catch (err) {
      return apiProblem(err, 'read', { lastReadPostId });
    }
    toPost(event, lastReadPostId);
  },

  react: async (event) => {
    if (!event.locals.me) signIn(event);
    const data = await event.request.formData();
    const id = text(data, 'id');
    const kind = text(data, 'kind') as ReactionKind;
    const on = text(data, 'on') === 'true';
    if (!ID.test(id) || !ReactionKinds.includes(kind)) error(400, 'Bad request', { code: 'validation_failed' });
    try {
      await must(
        apiFor(event).request(on ? 'put' : 'delete', '/api/v1/posts/{id}/reactions/{kind}', {
          params: { path: { id, kind } },
        }),
      );
    } catch (err) {
      return apiProblem(err, `react-${id}`, { id });
    }
    toPost(event, id);
  },
};
