/**
 * The form actions of an event's live layer (Q&A and polls), shared by the event page: plain POSTs
 * that work without JavaScript (the page reloads with the new state) and, enhanced, answer the
 * same. Each failure names its form (`liveForm`) so the page says it next to the right controls.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { apiFor, must, type ApiCaller } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { withRedirect } from '#lib/redirect.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import { voteRefusal, type VoteTarget } from '#lib/vote-refusal.ts';

const ID = /^\d{1,18}$/;
const MARKS = ['answered', 'hidden', 'pinned'] as const;

type LiveForm = 'qa' | 'ask' | 'vote' | 'mark' | 'poll' | 'pollVote' | 'pollClose';

function toLogin(event: RequestEvent): never {
  redirect(303, withRedirect(href('/login', event.locals.locale), `${event.url.pathname}#live-qa`));
}

/**
 * Runs one API call for a form, and turns a refusal into the form's message: for a vote (`voted`
 * names on what), why it was not counted.
 */
async function run(
  event: RequestEvent,
  liveForm: LiveForm,
  call: () => Promise<unknown>,
  id?: string,
  voted?: VoteTarget,
) {
  if (!event.locals.me) toLogin(event);
  try {
    await call();
    return { liveForm, liveDone: true as const, liveId: id ?? null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) toLogin(event);
    if (voted && e instanceof ApiError) {
      return fail(e.status >= 400 && e.status < 500 ? e.status : 503, {
        liveForm,
        liveId: id ?? null,
        liveAlert: voteRefusal(e, voted),
        liveErrors: {},
      });
    }
    const problem = formProblem(e);
    const fields = Object.values(problem.errors).filter(Boolean);
    return fail(problem.status, {
      liveForm,
      liveId: id ?? null,
      liveAlert: problem.alert ?? fields.join(' ') ?? m.form_failed(),
      liveErrors: problem.errors,
    });
  }
}

const slugOf = (event: RequestEvent) => ({ slug: event.params.slug ?? '' });

export const liveActions = {
  qa: async (event: RequestEvent) => {
    const open = text(await event.request.formData(), 'open') === '1';
    return run(event, 'qa', () =>
      must(apiFor(event).POST('/api/v1/events/{slug}/qa', { params: { path: slugOf(event) }, body: { open } })),
    );
  },

  ask: async (event: RequestEvent) => {
    const body = text(await event.request.formData(), 'body');
    if (!body.trim())
      return fail(400, { liveForm: 'ask', liveId: null, liveAlert: m.live_ask_blank(), liveErrors: {} });
    return run(event, 'ask', () =>
      must(apiFor(event).POST('/api/v1/events/{slug}/questions', { params: { path: slugOf(event) }, body: { body } })),
    );
  },

  vote: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const id = text(data, 'id');
    if (!ID.test(id)) return fail(400, { liveForm: 'vote', liveId: null, liveAlert: m.form_failed(), liveErrors: {} });
    const path = { params: { path: { id } } };
    const api = apiFor(event);
    return run(
      event,
      'vote',
      () =>
        must(
          text(data, 'on') === '1'
            ? api.PUT('/api/v1/questions/{id}/vote', path)
            : api.DELETE('/api/v1/questions/{id}/vote', path),
        ),
      id,
      'question',
    );
  },

  mark: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const id = text(data, 'id');
    const what = MARKS.find((mark) => mark === text(data, 'what'));
    if (!ID.test(id) || !what)
      return fail(400, { liveForm: 'mark', liveId: null, liveAlert: m.form_failed(), liveErrors: {} });
    const value = text(data, 'value') === '1';
    const api = apiFor(event);
    const params = { path: { id } };
    return run(
      event,
      'mark',
      () =>
        must(
          what === 'answered'
            ? api.POST('/api/v1/questions/{id}/answered', { params, body: { value } })
            : what === 'hidden'
              ? api.POST('/api/v1/questions/{id}/hidden', { params, body: { value } })
              : api.POST('/api/v1/questions/{id}/pinned', { params, body: { value } }),
        ),
      id,
    );
  },

  poll: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const question = text(data, 'question');
    const options = text(data, 'options')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    if (!question.trim() || options.length < 2) {
      return fail(400, { liveForm: 'poll', liveId: null, liveAlert: m.live_poll_incomplete(), liveErrors: {} });
    }
    const multiple = data.has('multiple');
    return run(event, 'poll', () =>
      must(
        apiFor(event).POST('/api/v1/events/{slug}/polls', {
          params: { path: slugOf(event) },
          body: { question, options, multiple },
        }),
      ),
    );
  },

  pollVote: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const id = text(data, 'id');
    const options = data
      .getAll('options')
      .map((value) => Number(value))
      .filter((n) => Number.isInteger(n) && n >= 0);
    if (!ID.test(id))
      return fail(400, { liveForm: 'pollVote', liveId: null, liveAlert: m.form_failed(), liveErrors: {} });
    if (options.length === 0) {
      return fail(400, { liveForm: 'pollVote', liveId: id, liveAlert: m.live_poll_choose(), liveErrors: {} });
    }
    return run(
      event,
      'pollVote',
      () => must(apiFor(event).PUT('/api/v1/polls/{id}/vote', { params: { path: { id } }, body: { options } })),
      id,
      'poll',
    );
  },

  pollClose: async (event: RequestEvent) => {
    const id = text(await event.request.formData(), 'id');
    if (!ID.test(id))
      return fail(400, { liveForm: 'pollClose', liveId: null, liveAlert: m.form_failed(), liveErrors: {} });
    return run(
      event,
      'pollClose',
      () => must(apiFor(event).POST('/api/v1/polls/{id}/close', { params: { path: { id } } })),
      id,
    );
  },
};

/** The Q&A (sorted as asked) and polls of an event, for its pages. */
export async function loadLive(event: ApiCaller & { url: URL; params: { slug: string } }) {
  const api = apiFor(event);
  const sort = event.url.searchParams.get('sort') === 'new' ? 'new' : 'top';
  const path = { slug: event.params.slug };
  const [questions, polls] = await Promise.all([
    must(api.GET('/api/v1/events/{slug}/questions', { params: { path, query: { sort } } })),
    must(api.GET('/api/v1/events/{slug}/polls', { params: { path } })),
  ]);
  return { questions, polls, sort } as const;
}
