import { error, fail, redirect } from '@sveltejs/kit';
import type { CaseTranslation } from '@opsi/contracts/case-translations';
import { apiFor, must, or404, type Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { href, type Locale } from '#lib/i18n.ts';
import { SLUG } from '#lib/input-rules.ts';
import { formProblem, text } from '#lib/server/forms.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The languages of the site, so the ones a case can be translated into here. */
const LANGUAGES: readonly Locale[] = ['en', 'fr'];
const EDITORS = ['organiser', 'moderator', 'admin'];

/** The languages `caseLanguage` can be translated into. */
function choicesFor(caseLanguage: string): Locale[] {
  return LANGUAGES.filter((language) => language !== caseLanguage.split('-')[0]);
}

function asLocale(value: string | null, choices: Locale[]): Locale | null {
  return choices.find((language) => language === value) ?? null;
}

/** Only organisers, moderators and admins translate (the API says so too); others are refused here first. */
function editor(event: RequestEvent) {
  const me = signedIn(event);
  if (!EDITORS.includes(me.user.role)) error(403, 'Forbidden', { code: 'forbidden' });
  if (!SLUG.test(event.params.slug)) error(404, 'Not Found', { code: 'not_found' });
  return me;
}

async function translationOf(api: Api, slug: string, language: string): Promise<CaseTranslation | null> {
  try {
    return await must(
      api.GET('/api/v1/cases/{slug}/translations/{language}', { params: { path: { slug, language } } }),
    );
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const load: PageServerLoad = async (event) => {
  editor(event);
  const api = apiFor(event);
  const slug = event.params.slug;
  const item = await or404(api.GET('/api/v1/cases/{slug}', { params: { path: { slug } } }));
  const choices = choicesFor(item.language);
  const language = asLocale(event.url.searchParams.get('language'), choices) ?? choices[0] ?? null;
  return {
    item,
    choices,
    language,
    translation: language ? await translationOf(api, slug, language) : null,
    deleted: event.url.searchParams.has('deleted'),
  };
};

export const actions = {
  save: async (event) => {
    editor(event);
    const data = await event.request.formData();
    const values = { title: text(data, 'title'), summary: text(data, 'summary'), body: text(data, 'body') };
    const language = text(data, 'language');
    try {
      await must(
        apiFor(event).PUT('/api/v1/cases/{slug}/translations/{language}', {
          params: { path: { slug: event.params.slug, language } },
          body: values,
        }),
      );
    } catch (e) {
      const problem = formProblem(e);
      return fail(problem.status, { values, errors: problem.errors, alert: problem.alert });
    }
    // The case as readers of that language now see it.
    const locale = asLocale(language, [...LANGUAGES]);
    redirect(303, href(`/cases/${event.params.slug}`, locale ?? event.locals.locale));
  },

  delete: async (event) => {
    editor(event);
    const language = text(await event.request.formData(), 'language');
    try {
      await must(
        apiFor(event).DELETE('/api/v1/cases/{slug}/translations/{language}', {
          params: { path: { slug: event.params.slug, language } },
        }),
      );
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) {
        const problem = formProblem(e);
        return fail(problem.status, { values: null, errors: problem.errors, alert: problem.alert });
      }
    }
    const query = new URLSearchParams({ language, deleted: '1' });
    redirect(303, `${href(`/cases/${event.params.slug}/translate`)}?${query.toString()}`);
  },
} satisfies Actions;
