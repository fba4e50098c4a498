/** "What I follow": every follow and every thread the member watches, left at normal or muted. */
import { fail } from '@sveltejs/kit';
import { FollowTypes, type FollowType } from '@opsi/contracts/follows';
import { WatchLevels, type WatchLevel } from '@opsi/contracts/member-tools';
import { apiFor, must, or404 } from '#lib/api/client.ts';
import { SLUG } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem, text } from '#lib/server/forms.ts';
import { loadReference, namesFor } from '#lib/server/reference.ts';
import { signedIn } from '#lib/server/signed-in.ts';
import type { Actions, PageServerLoad } from './$types';

const KEY = /^[a-z\d-]{2,40}$/i;

export const load: PageServerLoad = async (event) => {
  signedIn(event);
  const api = apiFor(event);
  const [follows, threads, reference] = await Promise.all([
    or404(api.GET('/api/v1/me/follows')),
    or404(api.GET('/api/v1/me/threads')),
    loadReference(api),
  ]);
  // Countries and themes by their name in the page's language.
  const codes = follows.items.filter((f) => f.type === 'country').map((f) => f.key);
  const names = namesFor(reference, event.locals.locale, codes);
  const label = (type: FollowType, key: string, given: string) =>
    (type === 'country' ? names.countries[key] : type === 'theme' ? names.themes[key] : undefined) ?? given;
  return {
    follows: follows.items.map((f) => ({ ...f, label: label(f.type, f.key, f.label) })),
    threads: threads.items,
  };
};

export const actions: Actions = {
  unfollow: async (event) => {
    signedIn(event);
    const data = await event.request.formData();
    const type = text(data, 'type');
    const key = text(data, 'key');
    if (!(FollowTypes as readonly string[]).includes(type) || !KEY.test(key)) {
      return fail(400, { alert: m.form_failed() });
    }
    try {
      await must(
        apiFor(event).DELETE('/api/v1/follows/{type}/{key}', { params: { path: { type: type as FollowType, key } } }),
      );
    } catch (error) {
      const problem = formProblem(error);
      return fail(problem.status, { alert: problem.alert });
    }
    return { unfollowed: text(data, 'name').slice(0, 200) };
  },

  level: async (event) => {
    signedIn(event);
    const data = await event.request.formData();
    const slug = text(data, 'slug');
    const level = text(data, 'level');
    if (!SLUG.test(slug) || !(WatchLevels as readonly string[]).includes(level)) {
      return fail(400, { alert: m.form_failed() });
    }
    try {
      await must(
        apiFor(event).PUT('/api/v1/me/threads/cases/{slug}', {
          params: { path: { slug } },
          body: { level: level as WatchLevel },
        }),
      );
    } catch (error) {
      const problem = formProblem(error);
      return fail(problem.status, { alert: problem.alert });
    }
    return { levelled: { title: text(data, 'name').slice(0, 200), level: level as WatchLevel } };
  },
};
